import type { TimerHandler } from '../../scheduler/timer-handlers.js';
import type { FeatureDeps } from '../contract.js';
import { chairPingTimer, stageTimer } from './dispute-timers.js';
import { disputeTimerKinds } from './model.js';
import { riskTimers } from './risk-timers.js';

/** A dispute stage's reminder and escalation, the chair's ping ladder, and risk review reminders. */
export function disputeTimers(deps: FeatureDeps): Record<string, TimerHandler> {
  return {
    [disputeTimerKinds.stage]: stageTimer(deps),
    [disputeTimerKinds.chair]: chairPingTimer(deps),
    ...riskTimers(deps),
  };
}
