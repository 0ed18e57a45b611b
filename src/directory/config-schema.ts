import { z } from 'zod';
import {
  closestMatch, field, isoDay as isoDayOf, isRecord, keyOf, listField, matching, MEMBER_ROLES, quoted, stringField,
  text, type ProblemPath, type SchemaProblem,
} from './schema-primitives.js';

// Shared with the plans section; re-exported for the modules that have always imported them from here.
export { closestMatch, MEMBER_ROLES, type MemberRole, type ProblemPath, type SchemaProblem } from './schema-primitives.js';

export const AGENCY_SECTORS = [
  'local_authority', 'health', 'police', 'education', 'early_years', 'housing', 'probation',
  'youth_justice', 'voluntary', 'faith', 'fire', 'ambulance', 'cafcass', 'other',
] as const;

export const GROUP_KINDS = [
  'executive', 'practice_review', 'quality_assurance', 'subgroup', 'task_and_finish', 'board',
  'partnership_group', 'business_unit', 'delivery',
] as const;

export const DEFAULT_TIMEZONE = 'Europe/London';

const slackUserId = matching(/^[UW][A-Z0-9]{6,}$/, 'a Slack user id: U or W followed by capital letters and digits, e.g. "U0SAMPATEL1"');
const slackChannelId = matching(/^[CG][A-Z0-9]{6,}$/, 'a Slack channel id: C or G followed by capital letters and digits, e.g. "C0PRG0001"');
const slackTeamId = matching(/^T[A-Z0-9]{6,}$/, 'a Slack workspace id: T followed by capital letters and digits, e.g. "T0SWIND01"');
const teamsChannelId = matching(/^19:\S+@thread\.[a-z0-9]+$/, 'a Teams channel id, e.g. "19:abc123@thread.tacv2"');
const guid = (what: string) =>
  z.guid({ error: (issue) => `${quoted(issue.input)} is not ${what} (a GUID like 8f2c1a3e-5b6d-4e7f-9a0b-1c2d3e4f5a6b)` });

function isIanaTimeZone(zone: string): boolean {
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const timeZone = z.string().refine(isIanaTimeZone, {
  error: (issue) => `${quoted(issue.input)} is not an IANA time zone, e.g. "Europe/London"`,
});

const isoDay = isoDayOf('2027-05-07');

const partnershipSettingsSchema = z.strictObject({
  slug: keyOf('partnership', 'swindon'),
  name: text,
  timezone: timeZone.default(DEFAULT_TIMEZONE),
  slack: z.strictObject({ teamId: slackTeamId }).optional(),
  teams: z.strictObject({ tenantId: guid('a Microsoft Entra tenant id') }).optional(),
  extraNonWorkingDays: z.array(isoDay).default([]),
});

const agencySchema = z.strictObject({
  key: keyOf('agency', 'swindon-borough-council'),
  name: text,
  sector: z.enum(AGENCY_SECTORS),
  statutoryPartner: z.boolean().default(false),
  leads: z.array(z.string()).min(1, 'give at least one safeguarding lead (a member key)'),
  signatories: z.array(z.string()).default([]),
});

const memberSchema = z.strictObject({
  key: keyOf('member', 'sam-patel'),
  name: text,
  title: text.optional(),
  email: z.email({ error: (issue) => `${quoted(issue.input)} is not an email address` }).optional(),
  agency: z.string().optional(),
  slack: slackUserId.optional(),
  teams: guid('a Teams (Microsoft Entra) user object id').optional(),
  roles: z.array(z.enum(MEMBER_ROLES)).default([]),
});

const groupSchema = z.strictObject({
  key: keyOf('group', 'practice-review-group'),
  name: text,
  kind: z.enum(GROUP_KINDS),
  meetingsPerYear: z.number().int('must be a whole number').positive('must be at least 1').optional(),
  chair: z.string(),
  viceChair: z.string().optional(),
  members: z.array(z.string()),
  channels: z.strictObject({ slack: slackChannelId.optional(), teams: teamsChannelId.optional() }).optional(),
});

/**
 * The directory sections of a partnership file. The whole file (these plus `plans:`) is
 * `partnershipFileSchema` in partnership-file-schema.ts, which spreads this shape.
 */
export const directorySections = {
  partnership: partnershipSettingsSchema,
  agencies: z.array(agencySchema),
  members: z.array(memberSchema),
  groups: z.array(groupSchema),
};

/** Just the directory sections, with their cross-reference checks; a file with `plans:` needs partnershipFileSchema. */
export const directoryConfigSchema = z
  .strictObject(directorySections)
  // Cross-reference checks run even when the shape has errors, so one pass reports everything.
  .superRefine(
    (config, ctx) => {
      for (const problem of findCrossReferenceProblems(config)) {
        ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message, params: { at: problem.at } });
      }
    },
    { when: () => true },
  );

export type DirectoryConfig = z.output<typeof directoryConfigSchema>;
// The whole file's types live with its schema; re-exported (types only, so no runtime import) for
// the modules that have always imported them from here.
export type { PartnershipConfig, PartnershipConfigInput } from './partnership-file-schema.js';
export type PartnershipSettings = z.output<typeof partnershipSettingsSchema>;
export type AgencyConfig = z.output<typeof agencySchema>;
export type MemberConfig = z.output<typeof memberSchema>;
export type GroupConfig = z.output<typeof groupSchema>;
export type AgencySector = (typeof AGENCY_SECTORS)[number];
export type GroupKind = (typeof GROUP_KINDS)[number];

/** Everyone who belongs to a group: the chair and vice-chair count as members without being listed. */
export function groupMemberKeys(group: GroupConfig): string[] {
  return [...new Set([group.chair, ...(group.viceChair ? [group.viceChair] : []), ...group.members])];
}

// ---------------------------------------------------------------------------------------------
// Cross-reference rules. They read the value defensively (it may still hold shape errors) so a
// file with a typo and a dangling reference reports both at once.

type Report = (path: ProblemPath, message: string, at?: 'key' | 'value') => void;

export function findCrossReferenceProblems(config: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const report: Report = (path, message, at = 'value') => problems.push({ path, message, at });
  const members = listField(config, 'members');
  const agencies = listField(config, 'agencies');
  const groups = listField(config, 'groups');

  const memberKeys = members && indexKeys(members, 'members', 'member', report);
  const agencyKeys = agencies && indexKeys(agencies, 'agencies', 'agency', report);
  if (groups) indexKeys(groups, 'groups', 'group', report);

  const memberRef = (value: unknown, path: ProblemPath) => {
    if (memberKeys && typeof value === 'string' && !memberKeys.has(value)) report(path, unknownReference('member', value, memberKeys));
  };
  const memberRefs = (entry: unknown, path: ProblemPath, name: string) => {
    const list = listField(entry, name);
    list?.forEach((value, j) => memberRef(value, [...path, name, j]));
    if (list) reportRepeats(list, [...path, name], report);
  };

  members?.forEach((member, i) => {
    const agency = stringField(member, 'agency');
    if (agencyKeys && agency !== undefined && !agencyKeys.has(agency)) {
      report(['members', i, 'agency'], unknownReference('agency', agency, agencyKeys));
    }
    if (isRecord(member) && ['email', 'slack', 'teams'].every((name) => member[name] === undefined)) {
      const who = stringField(member, 'key');
      report(['members', i], `no way to reach ${who ? `"${who}"` : 'this member'}: give at least one of email, slack, teams`);
    }
  });
  if (members) {
    reportSharedIds(members, 'members', 'slack', 'Slack user id', report);
    reportSharedIds(members, 'members', 'teams', 'Teams user id', report);
    if (!members.some(hasRole('business_manager', 'admin'))) {
      report(['members'], 'no member has the business_manager or admin role; the partnership needs someone to report problems to (add roles: [business_manager] to one member)', 'key');
    }
  }

  agencies?.forEach((agency, i) => {
    memberRefs(agency, ['agencies', i], 'leads');
    memberRefs(agency, ['agencies', i], 'signatories');
  });

  groups?.forEach((group, i) => {
    const chair = field(group, 'chair');
    const viceChair = field(group, 'viceChair');
    memberRef(chair, ['groups', i, 'chair']);
    memberRef(viceChair, ['groups', i, 'viceChair']);
    if (typeof chair === 'string' && viceChair === chair) report(['groups', i, 'viceChair'], `"${chair}" is already the chair`);
    memberRefs(group, ['groups', i], 'members');
    listField(group, 'members')?.forEach((value, j) => {
      const role = value === chair ? 'chair' : value === viceChair ? 'vice-chair' : undefined;
      if (role && typeof value === 'string') {
        report(['groups', i, 'members', j], `"${value}" is the ${role}, who is a member already; remove it from members`);
      }
    });
  });
  if (groups) {
    const channels = groups.map((group) => field(group, 'channels'));
    reportSharedIds(channels, 'groups', 'slack', 'Slack channel', report, 'channels');
    reportSharedIds(channels, 'groups', 'teams', 'Teams channel', report, 'channels');
  }
  return problems;
}

const hasRole = (...roles: string[]) => (member: unknown) =>
  listField(member, 'roles')?.some((role) => typeof role === 'string' && roles.includes(role)) ?? false;

function indexKeys(list: unknown[], listName: string, noun: string, report: Report): Map<string, number> {
  const firstIndex = new Map<string, number>();
  list.forEach((entry, i) => {
    const key = stringField(entry, 'key');
    if (key === undefined) return;
    const first = firstIndex.get(key);
    if (first === undefined) firstIndex.set(key, i);
    else report([listName, i, 'key'], `duplicate ${noun} key "${key}" (already used by ${listName}[${first}])`);
  });
  return firstIndex;
}

/** The same platform id on two entries would route one person's (or group's) messages to another. */
function reportSharedIds(
  entries: unknown[], listName: string, name: string, label: string, report: Report, nestedIn?: string,
): void {
  const owner = new Map<string, number>();
  entries.forEach((entry, i) => {
    const id = stringField(entry, name);
    if (id === undefined) return;
    const first = owner.get(id);
    if (first === undefined) owner.set(id, i);
    else report([listName, i, ...(nestedIn ? [nestedIn] : []), name], `${label} "${id}" is already used by ${listName}[${first}]`);
  });
}

function reportRepeats(list: unknown[], path: ProblemPath, report: Report): void {
  list.forEach((value, j) => {
    const first = list.indexOf(value);
    if (typeof value === 'string' && first < j) report([...path, j], `"${value}" is listed twice (first at ${path.at(-1)}[${first}])`);
  });
}

function unknownReference(noun: 'member' | 'agency', value: string, known: Map<string, number>): string {
  const suggestion = closestMatch(value, known.keys());
  const hint = suggestion ? `did you mean "${suggestion}"?` : `${noun === 'member' ? 'members' : 'agencies'} are listed under ${noun === 'member' ? 'members' : 'agencies'}:`;
  return `unknown ${noun} "${value}" (${hint})`;
}
