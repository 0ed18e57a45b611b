import { updateCardsAbout } from '../../messaging/outbox.js';
import type { StageScope } from './lifecycle.js';
import { currentReturnCard } from './returns-cards.js';
import { loadReturnView } from './returns-lifecycle.js';
import { returnSubject, stageReturns } from './returns-repository.js';
import type { CycleRow, StageRow } from './stage-row.js';

/**
 * Rewrites every copy of the cards of a stage's still-awaited returns after its cycle was paused, resumed or
 * cancelled (see currentReturnCard). Returns already in, or recorded missing, keep what they say. `version` names
 * the change, as for refreshStageCards.
 */
export async function refreshReturnCards(scope: StageScope, cycle: CycleRow, stage: StageRow, version: string, why: 'resumed' | 'moved' = 'moved'): Promise<void> {
  for (const ret of await stageReturns(scope.tx, stage.id)) {
    if (ret.status !== 'awaited') continue;
    const view = await loadReturnView(scope.tx, ret, cycle, stage, scope.calendar, scope.now);
    scope.fx.outbox(await updateCardsAbout(scope.tx, returnSubject(ret.id), version, currentReturnCard(view, why)));
  }
}
