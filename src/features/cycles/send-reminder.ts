import type { DateTime } from 'luxon';
import { recordAudit } from '../../core/audit.js';
import type { Tx } from '../../store/db.js';
import { enqueueOutbound } from '../../messaging/outbox.js';
import { groupChannelTargets, notifyMembers, type EnabledPlatforms } from '../../messaging/recipients.js';
import type { Effects } from '../../workflow/effects.js';
import type { ReminderAudience, ReminderKind } from './model.js';
import { businessManagerIds, groupChairId, ownerMemberIds } from '../../workflow/owners.js';
import { reminderCard } from './stage-cards.js';
import { stageSubject } from './stage-row.js';
import type { StageView } from './stage-view.js';

/** How the business manager is told which reminder a member could not be sent ("could not be sent …"). */
const reminderWording: Record<ReminderKind, string> = {
  opened: 'the "now open" reminder',
  before: 'a reminder before the due date',
  due: 'the due-day reminder',
  overdue: 'an overdue reminder',
  'escalate-chair': "the escalation to the group's chair",
  'escalate-manager': 'the escalation to the business manager',
};

/**
 * Sends one reminder about a stage to its audience: each owner privately (unless they snoozed it), the owning
 * group's channel when the stage opens, or the chair / business manager on escalation. Every card carries the
 * stage as its subject so all copies can be updated in place when something happens.
 */
export async function sendStageReminder(
  tx: Tx,
  fx: Effects,
  platforms: EnabledPlatforms,
  view: StageView,
  kind: ReminderKind,
  audience: ReminderAudience,
  reminderKey: string,
  now: DateTime,
): Promise<number> {
  const { stage, cycle } = view;
  const partnershipId = cycle.partnershipId;
  let recipients: string[];
  if (audience === 'owners') {
    const owners = await ownerMemberIds(tx, partnershipId, stage.owner);
    const snoozed = new Set(
      (await tx.stageSnooze.findMany({ where: { stageId: stage.id, until: { gt: now.toJSDate() } }, select: { memberId: true } })).map((s) => s.memberId),
    );
    recipients = owners.filter((id) => !snoozed.has(id));
  } else if (audience === 'chair') {
    const group = stage.reminders.escalationGroup;
    const chair = group ? await groupChairId(tx, partnershipId, group) : undefined;
    recipients = chair ? [chair] : await businessManagerIds(tx, partnershipId);
  } else {
    recipients = await businessManagerIds(tx, partnershipId);
  }

  const message = reminderCard(view, kind);
  const baseKey = `${stageSubject(stage.id)}:${reminderKey}`;
  const about = `${reminderWording[kind]} for stage "${stage.name}" of cycle #${cycle.number}`;
  // An opening announcement held for working hours is not sent where the stage's card already is (a member who
  // opened a chat with the bot in between was sent it then).
  const oncePerConversation = kind === 'opened';
  const notices = recipients.map((memberId) => ({ memberId, partnershipId, key: `${baseKey}:${memberId}`, message, subjectKey: stageSubject(stage.id), about, oncePerConversation }));
  fx.outbox(await notifyMembers(tx, notices, platforms));
  if (kind === 'opened' && stage.owner.kind === 'group') {
    const group = await tx.group.findFirst({ where: { partnershipId, key: stage.owner.group }, select: { id: true } });
    const targets = group ? await groupChannelTargets(tx, group.id, platforms) : [];
    for (const target of targets) {
      const channel = target.platform === 'teams' ? target.conversationId : target.kind === 'response_url' ? target.url : target.channel;
      fx.outbox([await enqueueOutbound(tx, { key: `${baseKey}:channel:${channel}`, partnershipId, target, message, subjectKey: stageSubject(stage.id) })]);
    }
  }
  await recordAudit(tx, {
    partnershipId,
    actor: 'scheduler',
    action: 'cycle.reminder.sent',
    subjectType: 'stage',
    subjectId: stage.id,
    data: { reminder: reminderKey, kind, audience, recipients: recipients.length, at: now.toUTC().toISO() },
  });
  return recipients.length;
}
