import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartnershipConfigInput } from '../../src/directory/config-schema.js';
import { importPartnership, type ImportSummary } from '../../src/directory/import-partnership.js';
import { PartnershipConfigError } from '../../src/directory/load-config.js';
import { loadPartnershipFile as loadPartnershipConfig } from '../../src/app/partnership-file.js';
import { findMemberId } from '../../src/directory/member-lookup.js';
import { createDb, type Db } from '../../src/store/db.js';
import { migratedDatabase, type ScratchDatabase } from '../support/database.js';

const examplesDir = path.resolve(import.meta.dirname, '../../examples/partnerships');
const exampleFiles = (await readdir(examplesDir)).filter((f) => f.endsWith('.yaml')).sort();
const examplePath = (name: string) => path.join(examplesDir, name);

const opened: { db: Db; database: ScratchDatabase }[] = [];
const tempDirs: string[] = [];

async function freshDb(): Promise<Db> {
  const database = await migratedDatabase('dir_import');
  const db = createDb(database.url);
  opened.push({ db, database });
  return db;
}

afterAll(async () => {
  for (const { db, database } of opened) {
    await db.$disconnect();
    await database.drop();
  }
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

/** What the bot does on start: load and validate the file, then import it. */
async function importFile(db: Db, file: string): Promise<ImportSummary> {
  return importPartnership(db, await loadPartnershipConfig(file));
}

async function writeTemp(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dir-import-'));
  tempDirs.push(dir);
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

async function readExample(name: string): Promise<PartnershipConfigInput> {
  return parseYaml(await readFile(examplePath(name), 'utf8')) as PartnershipConfigInput;
}

// --- What a file describes, worked out from the YAML by hand (not by the importer's own helpers) ---------------

interface Expected {
  members: string[];
  agencies: string[];
  groups: string[];
  roles: string[];
  memberships: string[];
  channels: string[];
}

function expectedFrom(config: PartnershipConfigInput): Expected {
  const roles = new Set<string>();
  for (const m of config.members) {
    roles.add(`${m.key}|member|`);
    for (const r of m.roles ?? []) roles.add(`${m.key}|${r}|`);
  }
  const memberships: string[] = [];
  const channels: string[] = [];
  for (const g of config.groups) {
    roles.add(`${g.chair}|group_chair|group:${g.key}`);
    memberships.push(`${g.key}|${g.chair}|chair`);
    if (g.viceChair) {
      roles.add(`${g.viceChair}|group_vice_chair|group:${g.key}`);
      memberships.push(`${g.key}|${g.viceChair}|vice_chair`);
    }
    for (const m of g.members) memberships.push(`${g.key}|${m}|member`);
    if (g.channels?.slack) channels.push(`${g.key}|slack|${g.channels.slack}`);
    if (g.channels?.teams) channels.push(`${g.key}|teams|${g.channels.teams}`);
  }
  for (const a of config.agencies) {
    for (const lead of a.leads) roles.add(`${lead}|agency_lead|agency:${a.key}`);
    for (const s of a.signatories ?? []) roles.add(`${s}|signatory|agency:${a.key}`);
  }
  return {
    members: config.members.map((m) => m.key).sort(),
    agencies: config.agencies.map((a) => a.key).sort(),
    groups: config.groups.map((g) => g.key).sort(),
    roles: [...roles].sort(),
    memberships: memberships.sort(),
    channels: channels.sort(),
  };
}

/** The active directory of one partnership as stored, in the same shape. */
async function storedDirectory(db: Db, slug: string): Promise<Expected> {
  const p = await db.partnership.findUniqueOrThrow({ where: { slug } });
  const where = { partnershipId: p.id, active: true };
  const [members, agencies, groups, roles, memberships, channels] = await Promise.all([
    db.member.findMany({ where }),
    db.agency.findMany({ where }),
    db.group.findMany({ where }),
    db.roleAssignment.findMany({ where, include: { member: true } }),
    db.groupMembership.findMany({ where: { active: true, group: where }, include: { group: true, member: true } }),
    db.channel.findMany({ where, include: { group: true } }),
  ]);
  return {
    members: members.map((m) => m.key).sort(),
    agencies: agencies.map((a) => a.key).sort(),
    groups: groups.map((g) => g.key).sort(),
    roles: roles.map((r) => `${r.member.key}|${r.role}|${r.scopeKey}`).sort(),
    memberships: memberships.map((m) => `${m.group.key}|${m.member.key}|${m.position}`).sort(),
    channels: channels.map((c) => `${c.group?.key}|${c.platform}|${c.externalId}`).sort(),
  };
}

/** Every row of every directory table (and the audit log), for "nothing changed" comparisons. */
async function snapshot(db: Db): Promise<unknown> {
  const byId = { orderBy: { id: 'asc' as const } };
  return {
    partnerships: await db.partnership.findMany(byId),
    agencies: await db.agency.findMany(byId),
    members: await db.member.findMany(byId),
    groups: await db.group.findMany(byId),
    memberships: await db.groupMembership.findMany({ orderBy: [{ groupId: 'asc' }, { memberId: 'asc' }] }),
    roles: await db.roleAssignment.findMany(byId),
    channels: await db.channel.findMany(byId),
    audit: await db.auditEvent.findMany(byId),
  };
}

async function memberIdsByKey(db: Db, slug: string): Promise<Map<string, string>> {
  const members = await db.member.findMany({ where: { partnership: { slug } } });
  return new Map(members.map((m) => [m.key, m.id]));
}

async function member(db: Db, slug: string, key: string) {
  return db.member.findFirstOrThrow({ where: { key, partnership: { slug } } });
}

async function auditFor(db: Db, subjectId: string, action: string) {
  return db.auditEvent.findMany({ where: { subjectId, action }, orderBy: { id: 'asc' } });
}

describe('every example partnership', () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshDb();
  });

  it('there are example files for the five seed partnerships', () => {
    expect(exampleFiles).toEqual(['dudley.yaml', 'swindon.yaml', 'walsall.yaml', 'warrington.yaml', 'warwickshire.yaml']);
  });

  it.each(exampleFiles)('%s imports, and the database then holds exactly what the file describes', async (file) => {
    const raw = await readExample(file);
    const summary = await importFile(db, examplePath(file));
    expect(summary).toMatchObject({ slug: raw.partnership.slug, unchanged: false, updated: 0, deactivated: 0 });

    const partnership = await db.partnership.findUniqueOrThrow({ where: { slug: raw.partnership.slug } });
    expect(partnership.name).toBe(raw.partnership.name);
    expect(partnership.timezone).toBe(raw.partnership.timezone ?? 'Europe/London');

    const expected = expectedFrom(raw);
    expect(expected.members.length).toBeGreaterThan(10);
    expect(await storedDirectory(db, raw.partnership.slug)).toEqual(expected);
    // Nothing inactive was created along the way.
    expect(await db.member.count({ where: { partnershipId: partnership.id, active: false } })).toBe(0);
  });

  it('all five coexist in one database, each with its own members', async () => {
    const counts = await db.member.groupBy({ by: ['partnershipId'], _count: true });
    expect(counts).toHaveLength(5);
    const total = (await Promise.all(exampleFiles.map(readExample))).reduce((sum, c) => sum + c.members.length, 0);
    expect(await db.member.count()).toBe(total);
  });

  it('Swindon specifics: chairs, agency leads, channels and platform ids land where the file puts them', async () => {
    const roleOf = (key: string, role: string, scopeKey: string) =>
      db.roleAssignment.findFirst({ where: { role, scopeKey, active: true, member: { key, partnership: { slug: 'swindon' } } }, include: { group: true, agency: true } });

    const execChair = await roleOf('margaret-okafor', 'group_chair', 'group:executive');
    expect(execChair?.group?.name).toBe('Swindon Safeguarding Executive');
    const prgChair = await roleOf('fiona-grant', 'group_chair', 'group:practice-review-group');
    expect(prgChair?.group?.key).toBe('practice-review-group');
    const lead = await roleOf('claire-donovan', 'agency_lead', 'agency:swindon-borough-council');
    expect(lead?.agency?.name).toBe('Swindon Borough Council');
    expect(await roleOf('rachel-whitmore', 'business_manager', '')).not.toBeNull();
    // Not everyone is a chair.
    expect(await roleOf('tom-ashdown', 'group_chair', 'group:executive')).toBeNull();

    const prg = await db.group.findFirstOrThrow({ where: { key: 'practice-review-group', partnership: { slug: 'swindon' } }, include: { channels: true } });
    expect(prg.kind).toBe('practice_review');
    expect(prg.meetingsPerYear).toBe(4);
    expect(prg.channels.map((c) => `${c.platform}:${c.externalId}`).sort()).toEqual([
      'slack:C0SWPRG001',
      'teams:19:1f2e3d4c5b6a47988776a5b4c3d2e1f0@thread.tacv2',
    ]);
    const delivery = await db.group.findFirstOrThrow({ where: { key: 'delivery-group', partnership: { slug: 'swindon' } }, include: { channels: true } });
    expect(delivery.channels.map((c) => c.platform)).toEqual(['slack']);

    const demo = await member(db, 'swindon', 'demo-user');
    expect(demo).toMatchObject({ displayName: 'Alex Demo', slackUserId: 'U0DEMOUSER', teamsAadObjectId: '00000000-0000-0000-0000-0000000000d0' });
    expect(await findMemberId(db, { platform: 'slack', userId: 'U0DEMOUSER', teamId: 'T0SWIND01' })).toBe(demo.id);
  });

  it.each(exampleFiles)('%s imported again reports unchanged and writes nothing, not even an audit event', async (file) => {
    const before = await snapshot(db);
    const summary = await importFile(db, examplePath(file));
    expect(summary).toMatchObject({ unchanged: true, created: 0, updated: 0, deactivated: 0 });
    expect(await snapshot(db)).toEqual(before);
  });
});

describe('re-importing an edited Swindon file', () => {
  let db: Db;
  let original: PartnershipConfigInput;
  let idsBefore: Map<string, string>;
  let auditBefore: bigint;
  let summary: ImportSummary;
  const newAgency = 'swindon-domestic-abuse-service';

  beforeAll(async () => {
    db = await freshDb();
    original = await readExample('swindon.yaml');
    await importFile(db, examplePath('swindon.yaml'));
    idsBefore = await memberIdsByKey(db, 'swindon');
    auditBefore = (await db.auditEvent.aggregate({ _max: { id: true } }))._max.id ?? 0n;

    const edited = structuredClone(original);
    const find = <T extends { key: string }>(list: T[], key: string): T => {
      const found = list.find((x) => x.key === key);
      if (!found) throw new Error(`fixture: no ${key}`);
      return found;
    };
    // 1. A new job title.
    find(edited.members, 'tom-ashdown').title = 'Senior Partnership Development Manager';
    // 2. Someone leaves: gone from the member list and from every group.
    edited.members = edited.members.filter((m) => m.key !== 'mark-ellison');
    for (const g of edited.groups) g.members = g.members.filter((k) => k !== 'mark-ellison');
    // 3. Workforce Development gets a new chair; the old chair stays on as a member.
    const wd = find(edited.groups, 'workforce-development');
    wd.chair = 'alison-pike';
    wd.members = ['joanne-price', ...wd.members.filter((k) => k !== 'alison-pike')];
    // 4. A Slack account moves from Megan Lewis to Graham Ford.
    delete find(edited.members, 'megan-lewis').slack;
    find(edited.members, 'graham-ford').slack = 'U0SWMLEWI';
    // 5. A new relevant agency.
    edited.agencies.push({ key: newAgency, name: 'Swindon Domestic Abuse Support Service', sector: 'voluntary', leads: ['omar-siddiqui'] });

    summary = await importFile(db, await writeTemp('swindon.yaml', stringifyYaml(edited)));
  });

  const newAudit = (where: Record<string, unknown> = {}) =>
    db.auditEvent.findMany({ where: { id: { gt: auditBefore }, ...where }, orderBy: { id: 'asc' } });

  it('reports an update, not a fresh import', () => {
    expect(summary.unchanged).toBe(false);
    expect(summary.created).toBeGreaterThan(0);
    expect(summary.updated).toBeGreaterThan(0);
    expect(summary.deactivated).toBeGreaterThan(0);
  });

  it('keeps the id of every member still in the file', async () => {
    const idsAfter = await memberIdsByKey(db, 'swindon');
    for (const [key, id] of idsBefore) expect(idsAfter.get(key), key).toBe(id);
    expect(idsAfter.size).toBe(idsBefore.size);
  });

  it('renames the title in place and audits which field changed', async () => {
    const tom = await member(db, 'swindon', 'tom-ashdown');
    expect(tom.jobTitle).toBe('Senior Partnership Development Manager');
    const events = await newAudit({ subjectId: tom.id });
    expect(events.map((e) => [e.action, (e.data as { fields?: string[] }).fields])).toEqual([['directory.member.updated', ['jobTitle']]]);
    expect(events[0]?.actor).toBe('directory import');
  });

  it('deactivates the member who left rather than deleting them, keeping their history', async () => {
    const markId = idsBefore.get('mark-ellison');
    const mark = await member(db, 'swindon', 'mark-ellison');
    expect(mark.id).toBe(markId);
    expect(mark.active).toBe(false);
    expect(await auditFor(db, mark.id, 'directory.member.added')).toHaveLength(1);
    expect(await auditFor(db, mark.id, 'directory.member.deactivated')).toHaveLength(1);
    // Their roles and group places are switched off too, and the bot no longer recognises them.
    expect(await db.roleAssignment.count({ where: { memberId: mark.id, active: true } })).toBe(0);
    expect(await db.roleAssignment.count({ where: { memberId: mark.id } })).toBeGreaterThan(0);
    expect(await db.groupMembership.count({ where: { memberId: mark.id, active: true } })).toBe(0);
    expect(await findMemberId(db, { platform: 'slack', userId: 'U0SWMELLI', teamId: 'T0SWIND01' })).toBeUndefined();
  });

  it('moves the chair role and the chair position to the new chair, with audit events', async () => {
    const alison = idsBefore.get('alison-pike')!;
    const joanne = idsBefore.get('joanne-price')!;
    const chairRoles = await db.roleAssignment.findMany({ where: { scopeKey: 'group:workforce-development', role: 'group_chair' }, orderBy: { createdAt: 'asc' } });
    expect(chairRoles.map((r) => [r.memberId, r.active])).toEqual([[joanne, false], [alison, true]]);
    const [oldRole, newRole] = chairRoles;
    expect(await auditFor(db, oldRole!.id, 'directory.role.deactivated')).toHaveLength(1);
    expect(await auditFor(db, newRole!.id, 'directory.role.added')).toHaveLength(1);

    const positions = await db.groupMembership.findMany({ where: { group: { key: 'workforce-development' }, memberId: { in: [alison, joanne] } } });
    expect(Object.fromEntries(positions.map((p) => [p.memberId === alison ? 'alison' : 'joanne', p.position]))).toEqual({ alison: 'chair', joanne: 'member' });
    const membershipEvents = await newAudit({ action: 'directory.membership.updated' });
    expect(membershipEvents.filter((e) => e.subjectId.endsWith(`|${alison}`) || e.subjectId.endsWith(`|${joanne}`))).toHaveLength(2);
  });

  it('moves the Slack id to its new owner, and audits the change on both members', async () => {
    const graham = await member(db, 'swindon', 'graham-ford');
    const megan = await member(db, 'swindon', 'megan-lewis');
    expect(graham.slackUserId).toBe('U0SWMLEWI');
    expect(megan.slackUserId).toBeNull();
    expect(await findMemberId(db, { platform: 'slack', userId: 'U0SWMLEWI', teamId: 'T0SWIND01' })).toBe(graham.id);
    for (const who of [graham, megan]) {
      const events = await newAudit({ subjectId: who.id, action: 'directory.member.updated' });
      expect(events.some((e) => ((e.data as { fields?: string[] }).fields ?? []).includes('slackUserId')), who.key).toBe(true);
    }
  });

  it('adds the new agency with its lead, and audits it', async () => {
    const agency = await db.agency.findFirstOrThrow({ where: { key: newAgency } });
    expect(agency).toMatchObject({ name: 'Swindon Domestic Abuse Support Service', sector: 'voluntary', active: true });
    expect(await auditFor(db, agency.id, 'directory.agency.added')).toHaveLength(1);
    const lead = await db.roleAssignment.findFirst({ where: { role: 'agency_lead', scopeKey: `agency:${newAgency}`, active: true } });
    expect(lead?.memberId).toBe(idsBefore.get('omar-siddiqui'));
    expect(lead?.agencyId).toBe(agency.id);
  });

  it('leaves the directory matching the edited file exactly', async () => {
    const edited = await loadPartnershipConfig(path.join(tempDirs.at(-1)!, 'swindon.yaml'));
    expect(await storedDirectory(db, 'swindon')).toEqual(expectedFrom(edited));
  });

  it('records one directory.imported event per import that changed something', async () => {
    expect(await newAudit({ action: 'directory.imported' })).toHaveLength(1);
  });

  it('reactivates a member who comes back, under the same id, and restores everything else', async () => {
    const markId = idsBefore.get('mark-ellison')!;
    const back = await importFile(db, examplePath('swindon.yaml'));
    expect(back.unchanged).toBe(false);

    const mark = await member(db, 'swindon', 'mark-ellison');
    expect(mark).toMatchObject({ id: markId, active: true, slackUserId: 'U0SWMELLI' });
    expect(await auditFor(db, markId, 'directory.member.reactivated')).toHaveLength(1);
    expect(await findMemberId(db, { platform: 'slack', userId: 'U0SWMELLI', teamId: 'T0SWIND01' })).toBe(markId);
    expect(await findMemberId(db, { platform: 'slack', userId: 'U0SWMLEWI', teamId: 'T0SWIND01' })).toBe(idsBefore.get('megan-lewis'));

    // Back to the original file: the same directory as the first import (the added agency is now inactive).
    expect(await storedDirectory(db, 'swindon')).toEqual(expectedFrom(original));
    expect(await db.agency.findFirst({ where: { key: newAgency } })).toMatchObject({ active: false });
    expect(await memberIdsByKey(db, 'swindon')).toEqual(idsBefore);
  });
});

describe('a file that is broken or invalid', () => {
  let db: Db;
  let text: string;
  beforeAll(async () => {
    db = await freshDb();
    await importFile(db, examplePath('swindon.yaml'));
    text = await readFile(examplePath('swindon.yaml'), 'utf8');
  });

  /** 1-based line and column of the first occurrence of `needle`. */
  function positionOf(source: string, needle: string): { line: number; column: number } {
    const offset = source.indexOf(needle);
    if (offset < 0) throw new Error(`fixture: no "${needle}"`);
    const before = source.slice(0, offset).split('\n');
    return { line: before.length, column: before.at(-1)!.length + 1 };
  }

  async function rejected(file: string): Promise<PartnershipConfigError> {
    const before = await snapshot(db);
    const error = await importFile(db, file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PartnershipConfigError);
    expect(await snapshot(db)).toEqual(before);
    return error as PartnershipConfigError;
  }

  it('a YAML syntax error names the file, line and column, and changes nothing', async () => {
    // A valid-looking edit first, then an unclosed flow sequence further down.
    const broken = text
      .replace('title: Partnership Administrator', 'title: Senior Partnership Administrator')
      .replace('members: [alison-pike, chris-baldwin,', 'members: [alison-pike, chris-baldwin,, {');
    const file = await writeTemp('swindon.yaml', broken);
    const error = await rejected(file);
    const first = error.problems[0]!;
    expect(first.file).toBe(file);
    expect(first.message).toMatch(/^YAML syntax error/);
    const around = positionOf(broken, 'members: [alison-pike, chris-baldwin,, {').line;
    expect(first.line).toBeGreaterThanOrEqual(around);
    expect(first.line).toBeLessThanOrEqual(around + 2);
    expect(first.column).toBeGreaterThan(0);
    expect(error.message.split('\n')[0]).toMatch(new RegExp(`^${escape(file)}:${first.line}:${first.column}: YAML syntax error`));
    expect((await member(db, 'swindon', 'lucy-fenwick')).jobTitle).toBe('Partnership Administrator');
  });

  it('a chair who is not a member gives file:line:col path: message, points at the value, and changes nothing', async () => {
    const invalid = text
      .replace('title: Partnership Administrator', 'title: Senior Partnership Administrator')
      .replace('chair: fiona-grant', 'chair: fiona-grnat');
    const file = await writeTemp('swindon.yaml', invalid);
    const error = await rejected(file);
    const { line, column } = positionOf(invalid, 'fiona-grnat');
    const groupIndex = (parseYaml(invalid) as PartnershipConfigInput).groups.findIndex((g) => g.chair === 'fiona-grnat');
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toEqual({
      file,
      line,
      column,
      path: `groups[${groupIndex}].chair`,
      message: 'unknown member "fiona-grnat" (did you mean "fiona-grant"?)',
    });
    expect(error.message).toBe(`${file}:${line}:${column} groups[${groupIndex}].chair: unknown member "fiona-grnat" (did you mean "fiona-grant"?)`);
    expect((await member(db, 'swindon', 'lucy-fenwick')).jobTitle).toBe('Partnership Administrator');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('two partnerships in one database', () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshDb();
    await importFile(db, examplePath('swindon.yaml'));
    await importFile(db, examplePath('walsall.yaml'));
  });

  it('both are stored, each with exactly its own directory', async () => {
    for (const file of ['swindon.yaml', 'walsall.yaml']) {
      const raw = await readExample(file);
      expect(await storedDirectory(db, raw.partnership.slug)).toEqual(expectedFrom(raw));
    }
    // The same agency key in both (e.g. probation-service) is two separate agencies.
    const probation = await db.agency.findMany({ where: { key: 'probation-service' }, include: { partnership: true } });
    expect(probation.map((a) => a.partnership.slug).sort()).toEqual(['swindon', 'walsall']);
  });

  it('finds each member by their own platform id', async () => {
    const walsall = await readExample('walsall.yaml');
    const someone = walsall.members.find((m) => m.teams)!;
    const stored = await member(db, 'walsall', someone.key);
    expect(await findMemberId(db, { platform: 'teams', userId: '29:x', aadObjectId: someone.teams!, tenantId: walsall.partnership.teams!.tenantId })).toBe(stored.id);
    expect(await findMemberId(db, { platform: 'slack', userId: 'U0SWRWHIT', teamId: 'T0SWIND01' })).toBe((await member(db, 'swindon', 'rachel-whitmore')).id);
    expect(await findMemberId(db, { platform: 'slack', userId: 'U0NOBODY01', teamId: 'T0SWIND01' })).toBeUndefined();
  });

  it('when one person is in both, the lookup prefers the partnership bound to the workspace or tenant', async () => {
    // Walsall joins Slack too, and one of its members uses the same (Enterprise Grid) Slack and Entra accounts as Swindon's Rachel Whitmore.
    const walsall = await readExample('walsall.yaml');
    const rachelSwindon = await member(db, 'swindon', 'rachel-whitmore');
    const shared = walsall.members.find((m) => (m.roles ?? []).includes('business_manager'))!;
    walsall.partnership.slack = { teamId: 'T0WALS001' };
    shared.slack = rachelSwindon.slackUserId!;
    shared.teams = rachelSwindon.teamsAadObjectId!;
    await importFile(db, await writeTemp('walsall.yaml', stringifyYaml(walsall)));
    const inWalsall = await member(db, 'walsall', shared.key);

    const slack = (teamId: string) => findMemberId(db, { platform: 'slack', userId: rachelSwindon.slackUserId!, teamId });
    expect(await slack('T0SWIND01')).toBe(rachelSwindon.id);
    expect(await slack('T0WALS001')).toBe(inWalsall.id);

    const teams = (tenantId: string) => findMemberId(db, { platform: 'teams', userId: '29:x', aadObjectId: rachelSwindon.teamsAadObjectId!, tenantId });
    expect(await teams('5ce40424-6cfb-47ba-9b27-f32ed2392389')).toBe(rachelSwindon.id);
    expect(await teams(walsall.partnership.teams!.tenantId)).toBe(inWalsall.id);
  });
});
