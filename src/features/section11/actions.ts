import { formatDay } from '../../core/day-format.js';
import { invalidInput } from '../../core/errors.js';
import { isPartnershipAdmin } from '../../directory/identity.js';
import type { PagedForm } from '../../forms/paged-form.js';
import type { ActionHandler, ActionResult, FormHandler } from '../../interactions/types.js';
import { recordAudit } from '../../core/audit.js';
import type { FeatureDeps } from '../contract.js';
import { note } from './cards.js';
import { isIn, s11Buttons, s11Forms } from './model.js';
import { leadsAgency, seesAllReturns, signsForAgency } from './people.js';
import { openReturn } from './return-form.js';
import { inS11Scope, refuseOnReturn, returnFor, returnItem, todayIn } from './scope.js';
import { decideExtension } from './service-extension.js';
import { signOff, type Outcome } from './service-return.js';
import { smallFormButtons, smallFormHandlers } from './small-forms.js';

const answered = (outcome: Outcome): ActionResult => ({ kind: 'notice', message: note(outcome.line) });

export function s11Actions(deps: FeatureDeps, form: PagedForm): Record<string, ActionHandler> {
  return {
    [s11Buttons.open]: async (r) => {
      // Anyone who may see the return learns why they cannot open it; a crafted id of another agency's reads as unknown.
      await inS11Scope(deps, r.profile!.partnershipId, (scope) => returnFor(scope.tx, r.profile!, r.value ?? '', (x) => leadsAgency(r.profile!, x.ret) || signsForAgency(r.profile!, x.ret) || seesAllReturns(r.profile!, x.moderatedBy)));
      return { kind: 'form', form: await openReturn(form, { profile: r.profile!, now: r.now }, r.value ?? '') };
    },
    [s11Buttons.signOff]: async (r) => answered(await signOff(deps, r.profile!, r.value ?? '')),
    [s11Buttons.approveExtension]: async (r) => answered(await decideExtension(deps, r.profile!, r.value ?? '', true)),
    [s11Buttons.declineExtension]: async (r) => answered(await decideExtension(deps, r.profile!, r.value ?? '', false)),
    [s11Buttons.actionDone]: async (r) => answered(await markActionDone(deps, r.profile!, r.value ?? '')),
    ...smallFormButtons(deps),
  };
}

export function s11FormHandlers(deps: FeatureDeps, form: PagedForm): Record<string, FormHandler> {
  return { [s11Forms.return]: form.handler, ...smallFormHandlers(deps) };
}

/** An improvement action is done: by its owner, the agency's lead or the business unit; once. */
async function markActionDone(deps: FeatureDeps, profile: Parameters<typeof signOff>[1], actionId: string): Promise<Outcome> {
  return inS11Scope(deps, profile.partnershipId, async (scope) => {
    const unseen = 'That action is not one you can see.';
    const { item: action, ret, round } = await returnItem(scope.tx, profile, actionId, (id) => scope.tx.s11Action.findUnique({ where: { id } }), 's11-action', unseen);
    if (!(action.ownerId === profile.memberId || leadsAgency(profile, ret) || isPartnershipAdmin(profile))) {
      await refuseOnReturn(scope.tx, profile, ret, round, { type: 's11-action', id: action.id }, unseen, `Only the action's owner, ${ret.agencyName}'s leads and the business unit can mark it done.`);
    }
    if (!isIn(ret)) throw invalidInput(`${ret.agencyName}'s return is back with the agency: its actions are settled when it is resubmitted.`);
    const today = todayIn(scope);
    const moved = await scope.tx.s11Action.updateMany({ where: { id: action.id, doneOn: null }, data: { doneOn: today } });
    if (moved.count === 0) return { line: `That action was already recorded as done on ${formatDay(action.doneOn!, scope.calendar.zone)}.`, changed: false, ret, round };
    await recordAudit(scope.tx, { partnershipId: ret.partnershipId, actor: profile.memberId, action: 's11.action.done', subjectType: 's11-action', subjectId: action.id, data: { standard: action.standardKey } });
    scope.fx.timers((await scope.tx.timer.findMany({ where: { subjectId: action.id, status: 'pending' }, select: { id: true } })).map((t) => t.id));
    await scope.tx.timer.updateMany({ where: { subjectId: action.id, status: 'pending' }, data: { status: 'cancelled' } });
    return { line: `Recorded as done today: the improvement action for ${ret.agencyName}, standard ${round.settings.standards.find((s) => s.key === action.standardKey)?.number ?? action.standardKey}. Its reminders stop.`, changed: true, ret, round };
  });
}
