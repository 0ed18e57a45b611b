import type { MemberProfile, PlatformIdentity } from '../directory/identity.js';
import { roleLabels, type Role } from '../directory/roles.js';
import type { Message } from '../messaging/message.js';

export function describeRole(role: { role: string; scopeName?: string }): string {
  const label = roleLabels[role.role as Role] ?? role.role;
  return role.scopeName ? `${label}, ${role.scopeName}` : label;
}

export function whoamiMessage(profile: MemberProfile): Message {
  const roles = profile.roles.filter((r) => r.role !== 'member').map(describeRole);
  return {
    title: profile.displayName,
    text: `${profile.displayName}, ${profile.partnershipName}`,
    sections: [
      {
        kind: 'facts',
        facts: [
          { label: 'Partnership', value: profile.partnershipName },
          ...(profile.jobTitle ? [{ label: 'Job title', value: profile.jobTitle }] : []),
          { label: 'Agency', value: profile.agency?.name ?? 'None recorded' },
          { label: 'Roles', value: roles.length > 0 ? roles.join('; ') : 'Member' },
        ],
      },
      {
        kind: 'list',
        title: 'Groups',
        items:
          profile.groups.length > 0
            ? profile.groups.map((g) => ({ title: g.name, status: g.position === 'member' ? undefined : g.position === 'chair' ? 'Chair' : 'Vice chair', tone: 'accent' as const }))
            : [{ title: 'Not in any group yet' }],
      },
      { kind: 'context', text: 'Something wrong? Ask your partnership business manager to update the directory.' },
    ],
  };
}

export function strangerMessage(identity: PlatformIdentity, contacts?: { partnershipName: string; contacts: string[] }): Message {
  const who = identity.platform === 'slack' ? `Slack user id \`${identity.userId}\`` : `Teams identity \`${identity.aadObjectId ?? identity.userId}\``;
  const askWhom =
    contacts && contacts.contacts.length > 0
      ? `Ask ${contacts.contacts.join(' or ')} at ${contacts.partnershipName} to add you to the partnership directory`
      : 'Ask your partnership business manager to add you to the partnership directory';
  return {
    title: "I don't know you yet",
    text: `You are not in the partnership directory yet. ${askWhom}.`,
    sections: [
      { kind: 'text', text: `You are not in the partnership directory yet. ${askWhom}, with your ${who}.` },
      { kind: 'context', text: 'Until then you can use `help`; other commands need you to be a member.' },
    ],
  };
}
