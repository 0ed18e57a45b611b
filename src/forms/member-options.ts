import type { FieldOption, FormField } from '../messaging/message.js';
import type { Db } from '../store/db.js';

/** Active members of a partnership as picker options ("Sam Patel (Police)"), by name; the value is the member id. */
export async function memberOptions(db: Db, partnershipId: string): Promise<FieldOption[]> {
  const members = await db.member.findMany({
    where: { partnershipId, active: true },
    select: { id: true, displayName: true, agency: { select: { name: true } } },
    orderBy: [{ displayName: 'asc' }, { id: 'asc' }],
  });
  return members.map((m) => ({ value: m.id, label: m.agency ? `${m.displayName} (${m.agency.name})` : m.displayName }));
}

/** Gives every member picker without options the partnership's members (loaded once, only when needed). */
export async function withMemberOptions(db: Db, partnershipId: string, fields: readonly FormField[]): Promise<FormField[]> {
  if (!fields.some((f) => f.kind === 'member' && !f.options)) return [...fields];
  const options = await memberOptions(db, partnershipId);
  return fields.map((f) => (f.kind === 'member' && !f.options ? { ...f, options } : f));
}
