import { DateTime } from 'luxon';
import type { CommandHandler } from '../../src/commands/types.js';
import type { FeatureDeps } from '../../src/features/contract.js';
import type { PagedForm } from '../../src/forms/paged-form.js';
import { armTimer } from '../../src/scheduler/timers.js';
import { transact } from '../../src/store/unit-of-work.js';
import { partnershipCalendar } from '../../src/workflow/partnership-calendar.js';
import { NUDGE_AFTER_WORKING_DAYS, toySubject, toyTimerKey, toyTimerKind } from './model.js';

/** `toy`: opens the survey (restoring a draft) and arms a nudge in case it is left unfinished. */
export function toyCommand(deps: FeatureDeps, survey: PagedForm): CommandHandler {
  return async ({ profile, now }) => {
    const member = profile!;
    await transact(deps.db, async (tx, afterCommit) => {
      const calendar = await partnershipCalendar(tx, member.partnershipId);
      const at = calendar.atLocalTime(calendar.addWorkingDays(now, NUDGE_AFTER_WORKING_DAYS), '09:30');
      const id = await armTimer(tx, { key: toyTimerKey(member.memberId), kind: toyTimerKind, subjectId: member.memberId, dueAt: DateTime.max(at, now), rule: `${NUDGE_AFTER_WORKING_DAYS} working days after opening, 09:30` });
      afterCommit(() => deps.syncTimers([id]));
    });
    return { kind: 'form', form: await survey.open({ profile: member, subject: toySubject(member.memberId), now }) };
  };
}
