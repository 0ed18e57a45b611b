import { invalidInput } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import type { Db, Tx } from '../../store/db.js';

// Ids reach the buttons and forms from card payloads, which a Teams client can edit. Another partnership's id, a
// made-up one and junk all get the same answer: the thing "no longer exists". Saying "not yours" would confirm it exists.

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type Reader = Tx | Db;

export const cycleGone = () => invalidInput('That cycle no longer exists.');
export const stageGone = () => invalidInput('That stage no longer exists.');
export const requestGone = () => invalidInput('That request no longer exists.');

/** Whether a payload value can be a row id at all (PostgreSQL rejects a malformed uuid with an error, not "no row"). */
export const looksLikeId = (value: string | undefined): value is string => value !== undefined && uuidPattern.test(value);

/** The cycle id, if that cycle belongs to the member's partnership. */
export async function ownCycleId(db: Reader, profile: MemberProfile, value: string | undefined): Promise<string> {
  if (!looksLikeId(value)) throw cycleGone();
  const row = await db.cycle.findUnique({ where: { id: value }, select: { partnershipId: true } });
  if (!row || row.partnershipId !== profile.partnershipId) throw cycleGone();
  return value;
}

/** The stage id, if that stage's cycle belongs to the member's partnership. */
export async function ownStageId(db: Reader, profile: MemberProfile, value: string | undefined): Promise<string> {
  if (!looksLikeId(value)) throw stageGone();
  const row = await db.cycleStage.findUnique({ where: { id: value }, select: { cycle: { select: { partnershipId: true } } } });
  if (!row || row.cycle.partnershipId !== profile.partnershipId) throw stageGone();
  return value;
}

/** The request for more time, if its stage belongs to the member's partnership. */
export async function ownExtensionRequest(db: Reader, profile: MemberProfile, value: string | undefined): Promise<{ id: string; stageId: string }> {
  if (!looksLikeId(value)) throw requestGone();
  const row = await db.extensionRequest.findUnique({ where: { id: value }, select: { stageId: true } });
  if (!row) throw requestGone();
  const stage = await db.cycleStage.findUnique({ where: { id: row.stageId }, select: { cycle: { select: { partnershipId: true } } } });
  if (!stage || stage.cycle.partnershipId !== profile.partnershipId) throw requestGone();
  return { id: value, stageId: row.stageId };
}
