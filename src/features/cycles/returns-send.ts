import type { DateTime } from 'luxon';
import { recordAudit } from '../../core/audit.js';
import { notifyMembers, type EnabledPlatforms } from '../../messaging/recipients.js';
import type { Tx } from '../../store/db.js';
import type { Effects } from '../../workflow/effects.js';
import { RETURN_ESCALATIONS } from './returns-model.js';
import { returnCard, type ReturnView } from './returns-cards.js';
import { agencyLeadIds, agencyRepresentativeIds, returnSubject, stageOwnerIds } from './returns-repository.js';

export type ReturnAudience = 'leads' | 'representative' | 'owner';

export const audienceOfStep = (kind: string): ReturnAudience =>
  kind === RETURN_ESCALATIONS.representative ? 'representative' : kind === RETURN_ESCALATIONS.owner ? 'owner' : 'leads';

/**
 * Sends one step of an agency's return ladder: the ask, reminders and chasers to the agency's safeguarding leads,
 * then escalations to its board representative (the stage owner when it has none) and then the stage owner. Every
 * card carries the return as its subject so all copies can be updated in place when it comes in.
 */
export async function sendReturnReminder(tx: Tx, fx: Effects, platforms: EnabledPlatforms, view: ReturnView, kind: string, stepKey: string, now: DateTime): Promise<number> {
  const { ret } = view;
  const { cycle, stage } = view.stage;
  const partnershipId = cycle.partnershipId;
  const audience = audienceOfStep(kind);
  let recipients = audience === 'leads' ? await agencyLeadIds(tx, ret.agencyId)
    : audience === 'representative' ? await agencyRepresentativeIds(tx, partnershipId, ret.agencyId)
    : [];
  if (recipients.length === 0 && audience !== 'leads') recipients = await stageOwnerIds(tx, partnershipId, stage);

  const message = returnCard(view, kind);
  const baseKey = `${returnSubject(ret.id)}:${stepKey}`;
  const about = `a request for ${ret.agencyName}'s return for stage "${stage.name}" of cycle #${cycle.number}`;
  const notices = recipients.map((memberId) => ({ memberId, partnershipId, key: `${baseKey}:${memberId}`, message, subjectKey: returnSubject(ret.id), about }));
  fx.outbox(await notifyMembers(tx, notices, platforms));
  await recordAudit(tx, {
    partnershipId,
    actor: 'scheduler',
    action: 'cycle.return.reminder.sent',
    subjectType: 'stage-return',
    subjectId: ret.id,
    data: { stageId: stage.id, agency: ret.agencyKey, reminder: stepKey, kind, audience, recipients: recipients.length, at: now.toUTC().toISO() },
  });
  return recipients.length;
}
