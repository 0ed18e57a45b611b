import { groupMemberKeys, type PartnershipConfig } from './config-schema.js';

export interface DesiredRole {
  memberKey: string;
  role: string;
  /** '' for partnership-wide roles, `group:<key>` or `agency:<key>` for scoped ones. */
  scopeKey: string;
  groupKey?: string;
  agencyKey?: string;
}

/** Every role the file implies: the roles listed on members, plus chairs, vice-chairs, agency leads and signatories. */
export function deriveRoles(config: PartnershipConfig): DesiredRole[] {
  const roles: DesiredRole[] = [];
  for (const member of config.members) {
    roles.push({ memberKey: member.key, role: 'member', scopeKey: '' });
    for (const role of member.roles) roles.push({ memberKey: member.key, role, scopeKey: '' });
  }
  for (const group of config.groups) {
    const scopeKey = `group:${group.key}`;
    roles.push({ memberKey: group.chair, role: 'group_chair', scopeKey, groupKey: group.key });
    if (group.viceChair) roles.push({ memberKey: group.viceChair, role: 'group_vice_chair', scopeKey, groupKey: group.key });
  }
  for (const agency of config.agencies) {
    const scopeKey = `agency:${agency.key}`;
    for (const lead of agency.leads) roles.push({ memberKey: lead, role: 'agency_lead', scopeKey, agencyKey: agency.key });
    for (const signatory of agency.signatories) roles.push({ memberKey: signatory, role: 'signatory', scopeKey, agencyKey: agency.key });
  }
  const seen = new Set<string>();
  return roles.filter((r) => {
    const id = `${r.memberKey}|${r.role}|${r.scopeKey}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

export function groupPositions(config: PartnershipConfig): { groupKey: string; memberKey: string; position: 'chair' | 'vice_chair' | 'member' }[] {
  return config.groups.flatMap((group) =>
    groupMemberKeys(group).map((memberKey) => ({
      groupKey: group.key,
      memberKey,
      position: memberKey === group.chair ? 'chair' : memberKey === group.viceChair ? 'vice_chair' : 'member',
    })),
  );
}
