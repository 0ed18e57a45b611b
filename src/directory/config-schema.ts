import { z } from 'zod';

export const AGENCY_SECTORS = [
  'local_authority', 'health', 'police', 'education', 'early_years', 'housing', 'probation',
  'youth_justice', 'voluntary', 'faith', 'fire', 'ambulance', 'cafcass', 'other',
] as const;

export const MEMBER_ROLES = ['business_manager', 'admin', 'independent_chair', 'partner_lead'] as const;

export const GROUP_KINDS = [
  'executive', 'practice_review', 'quality_assurance', 'subgroup', 'task_and_finish', 'board',
  'partnership_group', 'business_unit', 'delivery',
] as const;

export const DEFAULT_TIMEZONE = 'Europe/London';

const quoted = (value: unknown): string => JSON.stringify(value) ?? String(value);

/** A string check whose message starts with the offending value, e.g. `"Swindon" is not ...`. */
function matching(pattern: RegExp, isNot: string) {
  return z.string().regex(pattern, { error: (issue) => `${quoted(issue.input)} is not ${isNot}` });
}

const kebab = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const keyOf = (what: string, example: string) =>
  matching(kebab, `a valid ${what} key: use lowercase letters, digits and single hyphens, e.g. "${example}"`);

const text = z.string().trim().min(1, 'must not be empty');

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

// YAML 1.1 parsers (and callers passing objects) may hand us a Date; YAML 1.2 gives a string.
const isoDay = z.preprocess(
  (value) => (value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : value),
  z.iso.date({ error: (issue) => `${quoted(issue.input)} is not a calendar date written YYYY-MM-DD, e.g. 2027-05-07` }),
);

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

export const partnershipConfigSchema = z
  .strictObject({
    partnership: partnershipSettingsSchema,
    agencies: z.array(agencySchema),
    members: z.array(memberSchema),
    groups: z.array(groupSchema),
  })
  // Cross-reference checks run even when the shape has errors, so one pass reports everything.
  .superRefine(
    (config, ctx) => {
      for (const problem of findCrossReferenceProblems(config)) {
        ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message, params: { at: problem.at } });
      }
    },
    { when: () => true },
  );

export type PartnershipConfig = z.output<typeof partnershipConfigSchema>;
export type PartnershipConfigInput = z.input<typeof partnershipConfigSchema>;
export type PartnershipSettings = PartnershipConfig['partnership'];
export type AgencyConfig = PartnershipConfig['agencies'][number];
export type MemberConfig = PartnershipConfig['members'][number];
export type GroupConfig = PartnershipConfig['groups'][number];
export type AgencySector = (typeof AGENCY_SECTORS)[number];
export type MemberRole = (typeof MEMBER_ROLES)[number];
export type GroupKind = (typeof GROUP_KINDS)[number];

/** Everyone who belongs to a group: the chair and vice-chair count as members without being listed. */
export function groupMemberKeys(group: GroupConfig): string[] {
  return [...new Set([group.chair, ...(group.viceChair ? [group.viceChair] : []), ...group.members])];
}

// ---------------------------------------------------------------------------------------------
// Cross-reference rules. They read the value defensively (it may still hold shape errors) so a
// file with a typo and a dangling reference reports both at once.

export type ProblemPath = (string | number)[];
/** `at: 'key'` points the reader at the key of the last path segment rather than its value. */
export interface SchemaProblem { path: ProblemPath; message: string; at: 'key' | 'value' }
type Report = (path: ProblemPath, message: string, at?: 'key' | 'value') => void;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const field = (entry: unknown, name: string): unknown => (isRecord(entry) ? entry[name] : undefined);
const stringField = (entry: unknown, name: string): string | undefined => {
  const value = field(entry, name);
  return typeof value === 'string' ? value : undefined;
};
const listField = (entry: unknown, name: string): unknown[] | undefined => {
  const value = field(entry, name);
  return Array.isArray(value) ? value : undefined;
};

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

/** The closest candidate, ignoring case and punctuation, if it is near enough to be a likely typo. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const normalise = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const target = normalise(word);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(target, normalise(candidate));
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance <= Math.max(1, Math.floor(target.length / 3)) ? best : undefined;
}

/** Levenshtein distance where swapping two neighbouring letters ("chiar") costs one edit. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => rows[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = rows[i];
      if (row) row[j] = best;
    }
  }
  return at(a.length, b.length);
}
