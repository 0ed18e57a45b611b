import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { groupMemberKeys, type PartnershipConfig } from '../../src/directory/config-schema.js';
import { PartnershipConfigError } from '../../src/directory/load-config.js';
import { partnershipFileSchema } from '../../src/directory/partnership-file-schema.js';
import { loadPartnershipFile as loadPartnershipConfig, parsePartnershipFile as parsePartnershipConfig } from '../../src/app/partnership-file.js';
import { configSectionsOf } from '../../src/app/install-features.js';
import { features } from '../../src/app/features.js';
import type { CyclePlan } from '../../src/features/cycles/model.js';
import { plansIn } from '../../src/features/cycles/schema.js';
import { testshireFile } from '../support/testshire-file.js';

const examplesDir = join(import.meta.dirname, '../../examples/partnerships');

// Line numbers matter below: each test edits one line of this file and expects its position.
const valid = testshireFile;

// The same file with a plans: section; its first line is line 24.
const withPlans = `${valid}plans:
  - key: case-review
    name: Case review
    group: practice-review-group
    stages:
      - key: scoping
        name: Scoping
        owner: { group: practice-review-group }
        done: Scope agreed
        duration: { months: 1 }
      - key: audits
        name: Audits
        owner: { members: [jo-smith] }
        done: Audits returned
        duration: { weeks: 2 }
      - key: report
        name: Report
        owner: { group: practice-review-group }
        done: Report presented to the group
        duration: { workingDays: 10 }
`;

function edit(from: string, to: string, text = valid): string {
  if (!text.includes(from)) throw new Error(`test fixture has no "${from}"`);
  return text.replace(from, to);
}

function problemLines(text: string): string[] {
  try {
    parsePartnershipConfig(text, 'test.yaml');
  } catch (error) {
    if (error instanceof PartnershipConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('example partnership files', async () => {
  const files = (await readdir(examplesDir)).filter((name) => name.endsWith('.yaml'));

  it('has one file per seed partnership', () => {
    expect(files.sort()).toEqual(['dudley.yaml', 'swindon.yaml', 'walsall.yaml', 'warrington.yaml', 'warwickshire.yaml']);
  });

  it.each(files)('%s is a valid partnership named after its file', async (file) => {
    const config = await loadPartnershipConfig(join(examplesDir, file));
    expect(config.partnership.slug).toBe(file.replace('.yaml', ''));
    expect(config.members.length).toBeGreaterThanOrEqual(15);
    expect(config.members.length).toBeLessThanOrEqual(40);
  });

  it.each(files)('%s loads with its plans', async (file) => {
    const config = await loadPartnershipConfig(join(examplesDir, file));
    expect(plansIn(config).length).toBeGreaterThan(0);
    for (const plan of plansIn(config)) expect(plan.stages.length, plan.key).toBeGreaterThan(0);
  });

  it('gives the Swindon demo user the demo account details', async () => {
    const config = await loadPartnershipConfig(join(examplesDir, 'swindon.yaml'));
    const demo = config.members.find((member) => member.key === 'demo-user');
    expect(demo).toMatchObject({
      name: 'Alex Demo',
      roles: ['business_manager', 'admin'],
      teams: '00000000-0000-0000-0000-0000000000d0',
      slack: 'U0DEMOUSER',
    });
    const groupsWithDemo = config.groups.filter((group) => groupMemberKeys(group).includes('demo-user')).map((group) => group.key);
    expect(groupsWithDemo).toEqual(expect.arrayContaining(['practice-review-group', 'pqa']));
  });
});

describe('parsePartnershipConfig', () => {
  it('fills in defaults for optional fields', () => {
    const config = parsePartnershipConfig(valid, 'test.yaml');
    expect(config.partnership.timezone).toBe('Europe/London');
    expect(config.partnership.extraNonWorkingDays).toEqual([]);
    expect(config.agencies[0]).toMatchObject({ statutoryPartner: false, signatories: [] });
    expect(config.members[1]?.roles).toEqual([]);
  });

  it('keeps extra non-working days as YYYY-MM-DD, whether written as text or given as dates', () => {
    const fromYaml = parsePartnershipConfig(
      edit('  name: Testshire Safeguarding Partnership\n', '  name: Testshire Safeguarding Partnership\n  extraNonWorkingDays: [2027-05-07]\n'),
      'test.yaml',
    );
    expect(fromYaml.partnership.extraNonWorkingDays).toEqual(['2027-05-07']);

    const fromObject = partnershipFileSchema(configSectionsOf(features)).parse({
      ...fromYaml,
      partnership: { ...fromYaml.partnership, extraNonWorkingDays: [new Date(Date.UTC(2027, 4, 7))] },
    });
    expect(fromObject.partnership.extraNonWorkingDays).toEqual(['2027-05-07']);
  });

  it('reports a YAML syntax error with its position', () => {
    expect(problemLines(edit('    members: [jo-smith]', '    members: [jo-smith'))).toEqual([
      'test.yaml:24:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('reports a misspelt key as unknown and suggests the right one', () => {
    expect(problemLines(edit('    chair: sam-patel', '    chiar: sam-patel'))).toEqual([
      'test.yaml:19:5 groups[0]: missing required field "chair"',
      'test.yaml:22:5 groups[0].chiar: unknown key "chiar" (did you mean "chair"?)',
    ]);
  });

  it('lists the allowed keys when an unknown key is not a near miss', () => {
    expect(problemLines(edit('    slack: U0JOSMITH1', '    slack: U0JOSMITH1\n    pronouns: they'))).toEqual([
      'test.yaml:18:5 members[1].pronouns: unknown key "pronouns"; allowed here: key, name, title, email, agency, slack, teams, roles',
    ]);
  });

  it('reports a chair who is not a member', () => {
    expect(problemLines(edit('    chair: sam-patel', '    chair: jo-smyth'))).toEqual([
      'test.yaml:22:12 groups[0].chair: unknown member "jo-smyth" (did you mean "jo-smith"?)',
    ]);
    expect(problemLines(edit('    chair: sam-patel', '    chair: pat-jones'))).toEqual([
      'test.yaml:22:12 groups[0].chair: unknown member "pat-jones" (members are listed under members:)',
    ]);
  });

  it('reports a member key used twice', () => {
    expect(problemLines(edit('  - key: jo-smith', '  - key: sam-patel'))).toEqual([
      'test.yaml:15:10 members[1].key: duplicate member key "sam-patel" (already used by members[0])',
      'test.yaml:23:15 groups[0].members[0]: unknown member "jo-smith" (members are listed under members:)',
    ]);
  });

  it('reports a value outside an enum with the allowed values', () => {
    expect(problemLines(edit('    kind: practice_review', '    kind: practise_review'))).toEqual([
      'test.yaml:21:11 groups[0].kind: "practise_review" is not allowed here (did you mean "practice_review"?); use one of: '
        + 'executive, practice_review, quality_assurance, subgroup, task_and_finish, board, partnership_group, business_unit, delivery',
    ]);
  });

  it('requires someone with the business_manager or admin role', () => {
    expect(problemLines(edit('    roles: [business_manager]', '    roles: [independent_chair]'))).toEqual([
      'test.yaml:9:1 members: no member has the business_manager or admin role; the partnership needs someone to report problems to '
        + '(add roles: [business_manager] to one member)',
    ]);
  });

  it('requires a way to reach each member', () => {
    expect(problemLines(edit('    slack: U0JOSMITH1\n', ''))).toEqual([
      'test.yaml:15:5 members[1]: no way to reach "jo-smith": give at least one of email, slack, teams',
    ]);
  });

  it('reports a Slack id given to two members', () => {
    expect(problemLines(edit('    agency: testshire-council\n', '    agency: testshire-council\n    slack: U0JOSMITH1\n'))).toEqual([
      'test.yaml:18:12 members[1].slack: Slack user id "U0JOSMITH1" is already used by members[0]',
    ]);
  });

  it('reports every problem in one pass, in file order', () => {
    const text = valid
      .replace('  slug: testshire', '  slug: Testshire')
      .replace('    sector: local_authority', '    sector: council')
      .replace('    agency: testshire-council', '    agency: testshire-county')
      .replace('    slack: U0JOSMITH1', '    slack: jo')
      .replace('    chair: sam-patel', '    chair:')
      .replace('    members: [jo-smith]', '    members: [jo-smith, jo-smith]');
    expect(problemLines(text)).toEqual([
      'test.yaml:2:9 partnership.slug: "Testshire" is not a valid partnership key: use lowercase letters, digits and single hyphens, e.g. "swindon"',
      'test.yaml:7:13 agencies[0].sector: "council" is not allowed here; use one of: local_authority, health, police, education, '
        + 'early_years, housing, probation, youth_justice, voluntary, faith, fire, ambulance, cafcass, other',
      'test.yaml:13:13 members[0].agency: unknown agency "testshire-county" (did you mean "testshire-council"?)',
      'test.yaml:17:12 members[1].slack: "jo" is not a Slack user id: U or W followed by capital letters and digits, e.g. "U0SAMPATEL1"',
      'test.yaml:22:5 groups[0].chair: expected text, got an empty value',
      'test.yaml:23:25 groups[0].members[1]: "jo-smith" is listed twice (first at members[0])',
    ]);
  });

  it('gives each problem as structured data too', () => {
    try {
      parsePartnershipConfig(edit('    chair: sam-patel', '    chair: pat-jones'), 'test.yaml');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PartnershipConfigError);
      expect((error as PartnershipConfigError).problems).toEqual([
        { file: 'test.yaml', line: 22, column: 12, path: 'groups[0].chair', message: 'unknown member "pat-jones" (members are listed under members:)' },
      ]);
    }
  });
});

describe('parsePartnershipConfig: the plans section', () => {
  const lastStageOwner = '        owner: { group: practice-review-group }\n        done: Report presented';

  it('is optional, and parsed into cycle plans when given', () => {
    expectTypeOf(plansIn).returns.toEqualTypeOf<CyclePlan[]>();
    expect(plansIn(parsePartnershipConfig(valid, 'test.yaml'))).toEqual([]);
    const [plan] = plansIn(parsePartnershipConfig(withPlans, 'test.yaml'));
    expect(plan?.key).toBe('case-review');
    expect(plan?.stages.map((stage) => stage.owner)).toEqual([
      { kind: 'group', group: 'practice-review-group' },
      { kind: 'members', members: ['jo-smith'] },
      { kind: 'group', group: 'practice-review-group' },
    ]);
  });

  it('reports a stage owner that is not a group of the partnership, with its position and path', () => {
    const text = edit(lastStageOwner, '        owner: { group: practise-review-group }\n        done: Report presented', withPlans);
    expect(problemLines(text)).toEqual([
      'test.yaml:41:25 plans[0].stages[2].owner.group: unknown group "practise-review-group" (did you mean "practice-review-group"?)',
    ]);
  });

  it('reports unknown members and plan groups, and role owners nobody holds', () => {
    const text = edit('        owner: { members: [jo-smith] }', '        owner: { members: [jo-smith, pat-jones] }', withPlans)
      .replace('    group: practice-review-group\n    stages:', '    group: pqa\n    stages:')
      .replace('        owner: { group: practice-review-group }\n        done: Scope', '        owner: { role: independent_chair }\n        done: Scope');
    expect(problemLines(text)).toEqual([
      'test.yaml:27:12 plans[0].group: unknown group "pqa"',
      'test.yaml:31:24 plans[0].stages[0].owner.role: no member has the independent_chair role, so nobody would own this stage',
      'test.yaml:36:38 plans[0].stages[1].owner.members[1]: unknown member "pat-jones"',
    ]);
  });

  it('reports a misspelt key inside a stage as unknown and suggests the right one', () => {
    expect(problemLines(edit('        duration: { workingDays: 10 }', '        duraton: { workingDays: 10 }', withPlans))).toEqual([
      'test.yaml:39:9 plans[0].stages[2]: give a due date: one of duration, due',
      'test.yaml:43:9 plans[0].stages[2].duraton: unknown key "duraton" (did you mean "duration"?)',
    ]);
  });

  it('suggests keys inside owners, lengths and plans too', () => {
    const text = edit(lastStageOwner, '        owner: { gruop: practice-review-group }\n        done: Report presented', withPlans)
      .replace('        duration: { weeks: 2 }', '        duration: { wekes: 2 }')
      .replace('    name: Case review', '    name: Case review\n    startDate: the meeting date');
    expect(problemLines(text)).toEqual([
      'test.yaml:27:5 plans[0].startDate: unknown key "startDate" (did you mean "startDateIs"?)',
      'test.yaml:39:19 plans[0].stages[1].duration: give a length: one of months, weeks, days, workingDays',
      'test.yaml:39:21 plans[0].stages[1].duration.wekes: unknown key "wekes" (did you mean "weeks"?)',
      'test.yaml:42:16 plans[0].stages[2].owner: give an owner: one of group, role, members',
      'test.yaml:42:18 plans[0].stages[2].owner.gruop: unknown key "gruop" (did you mean "group"?)',
    ]);
  });

  it('reports problems in the directory and in the plans in one pass', () => {
    const text = edit('    chair: sam-patel', '    chair: jo-smyth', withPlans)
      .replace('        duration: { months: 1 }', '        duration: { months: -1 }');
    expect(problemLines(text)).toEqual([
      'test.yaml:22:12 groups[0].chair: unknown member "jo-smyth" (did you mean "jo-smith"?)',
      'test.yaml:33:29 plans[0].stages[0].duration.months: must not be negative',
    ]);
  });
});

describe('loadPartnershipConfig', () => {
  it('names the file in problems', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'partnership-'));
    const file = join(dir, 'testshire.yaml');
    await writeFile(file, edit('    kind: practice_review', '    kind: board\n    meetingsPerYear: 0'));
    await expect(loadPartnershipConfig(file)).rejects.toThrow(`${file}:22:22 groups[0].meetingsPerYear: must be at least 1`);
  });

  it('says plainly when the file does not exist', async () => {
    await expect(loadPartnershipConfig('/nowhere/testshire.yaml')).rejects.toThrow(
      new PartnershipConfigError([{ file: '/nowhere/testshire.yaml', line: 0, column: 0, path: '', message: 'file not found' }]),
    );
  });
});
