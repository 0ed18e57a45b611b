// Roles a member can hold. Partnership-wide roles come from `members[].roles` in the YAML; the rest are derived.

export const partnershipRoles = ['business_manager', 'admin', 'independent_chair', 'partner_lead'] as const;
export type PartnershipRole = (typeof partnershipRoles)[number];

export type Role = PartnershipRole | 'group_chair' | 'group_vice_chair' | 'agency_lead' | 'signatory' | 'member';

export const roleLabels: Record<Role, string> = {
  business_manager: 'Business manager',
  admin: 'Partnership admin',
  independent_chair: 'Independent chair',
  partner_lead: 'Safeguarding partner lead',
  group_chair: 'Chair',
  group_vice_chair: 'Vice chair',
  agency_lead: 'Safeguarding lead',
  signatory: 'Signatory',
  member: 'Member',
};

/** Roles that run the partnership: they may change anything and receive reports of problems. */
export const adminRoles: readonly Role[] = ['business_manager', 'admin'];
