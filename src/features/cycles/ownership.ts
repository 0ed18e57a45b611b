import { looksLikeId as isRowId, unknownSubject } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import type { Db, Tx } from '../../store/db.js';

// Ids reach the buttons and forms from card payloads, which a Teams client can edit. Another partnership's id, a
// made-up one and junk all get the same answer: the thing "no longer exists". Saying "not yours" would confirm it exists.

type Reader = Tx | Db;

// Each refusal is audited with its cause (another partnership's, none, not an id) by the router that answers it.
export const cycleGone = (value?: string, foreign = false) => unknownSubject('That cycle no longer exists.', 'cycle', value, foreign);
export const stageGone = (value?: string, foreign = false) => unknownSubject('That stage no longer exists.', 'stage', value, foreign);
export const requestGone = (value?: string, foreign = false) => unknownSubject('That request no longer exists.', 'extension_request', value, foreign);

/** Whether a payload value can be a row id at all (PostgreSQL rejects a malformed uuid with an error, not "no row"). */
export const looksLikeId = isRowId;

/** The cycle id, if that cycle belongs to the member's partnership. */
export async function ownCycleId(db: Reader, profile: MemberProfile, value: string | undefined): Promise<string> {
  if (!looksLikeId(value)) throw cycleGone(value);
  const row = await db.cycle.findUnique({ where: { id: value }, select: { partnershipId: true } });
  if (!row || row.partnershipId !== profile.partnershipId) throw cycleGone(value, Boolean(row));
  return value;
}

/** The stage id, if that stage's cycle belongs to the member's partnership. */
export async function ownStageId(db: Reader, profile: MemberProfile, value: string | undefined): Promise<string> {
  if (!looksLikeId(value)) throw stageGone(value);
  const row = await db.cycleStage.findUnique({ where: { id: value }, select: { cycle: { select: { partnershipId: true } } } });
  if (!row || row.cycle.partnershipId !== profile.partnershipId) throw stageGone(value, Boolean(row));
  return value;
}

/** The request for more time, if its stage belongs to the member's partnership. */
export async function ownExtensionRequest(db: Reader, profile: MemberProfile, value: string | undefined): Promise<{ id: string; stageId: string }> {
  if (!looksLikeId(value)) throw requestGone(value);
  const row = await db.extensionRequest.findUnique({ where: { id: value }, select: { stageId: true } });
  if (!row) throw requestGone(value);
  const stage = await db.cycleStage.findUnique({ where: { id: row.stageId }, select: { cycle: { select: { partnershipId: true } } } });
  if (!stage || stage.cycle.partnershipId !== profile.partnershipId) throw requestGone(value, Boolean(stage));
  return { id: value, stageId: row.stageId };
}
