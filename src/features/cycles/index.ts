import { defineFeature } from '../contract.js';
import { cycleInteractions } from './actions.js';
import { calendarCommand } from './calendar-command.js';
import { calendarRoute } from './calendar-route.js';
import { sendCatchUpCards } from './catch-up.js';
import { cycleCommands } from './commands.js';
import { plansSection } from './schema.js';
import { requestsCommand } from './requests-command.js';
import { startPreviewActions } from './start-preview.js';
import { cycleTimers } from './timers.js';
import { returnTimers } from './returns-timers.js';
import { OCCURRENCE_TIMER, replanEveryPartnership } from './occurrence-plan.js';
import { occurrenceStartHandler } from './occurrence-start.js';
import { occurrenceActionHandlers } from './occurrence-commands.js';

/** QA cycles: plans in the partnership file, `cycle` commands, stage reminders and escalations, calendar feeds. */
export const cyclesFeature = defineFeature({
  name: 'cycles',
  commands: [
    { name: 'tasks', usage: 'tasks', summary: 'What is due for you, soonest first' },
    {
      name: 'cycle',
      usage: 'cycle status [number] | cycle list | cycle schedule [plan] | cycle start <plan> "<title>" [date] [lead] | cycle move, skip, reschedule, pause, resume, cancel (type cycle for how)',
      summary: 'QA cycles: every stage and its state, and when recurring plans start next; admins start, move, skip, pause and cancel',
    },
    { name: 'requests', usage: 'requests', summary: 'Requests for more time waiting for your decision (chairs, business manager)' },
    { name: 'calendar', usage: 'calendar [group <key>] | calendar revoke', summary: 'A private calendar feed of your (or a group\'s) deadlines for Outlook or Google' },
  ],
  configSection: plansSection,
  models: ['Cycle', 'CycleStage', 'StageSnooze', 'ExtensionRequest', 'CalendarFeed', 'PlanOccurrence', 'PlanPause', 'StageReturn'],
  install(deps) {
    const { actions, forms } = cycleInteractions(deps);
    return {
      commands: { ...cycleCommands(deps), calendar: calendarCommand(deps.db, deps.publicUrl), requests: requestsCommand(deps.db) },
      actions: { ...actions, ...occurrenceActionHandlers(deps), ...startPreviewActions(deps) },
      forms,
      timers: { ...cycleTimers(deps), ...returnTimers(deps), [OCCURRENCE_TIMER]: occurrenceStartHandler(deps) },
      routes: [calendarRoute(deps.db)],
      onMemberReachable: async (memberId) => void (await sendCatchUpCards(deps, memberId)),
      onStart: () => replanEveryPartnership(deps),
    };
  },
});
