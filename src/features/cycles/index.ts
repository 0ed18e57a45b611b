import { defineFeature } from '../contract.js';
import { cycleInteractions } from './actions.js';
import { calendarCommand } from './calendar-command.js';
import { calendarRoute } from './calendar-route.js';
import { sendCatchUpCards } from './catch-up.js';
import { cycleCommands } from './commands.js';
import { plansSection } from './schema.js';
import { cycleTimers } from './timers.js';

/** QA cycles: plans in the partnership file, `cycle` commands, stage reminders and escalations, calendar feeds. */
export const cyclesFeature = defineFeature({
  name: 'cycles',
  commands: [
    { name: 'tasks', usage: 'tasks', summary: 'What is due for you, soonest first' },
    {
      name: 'cycle',
      usage: 'cycle status [number] | cycle list | cycle start <plan> "<title>" [date] [lead] | cycle move | pause | resume | cancel',
      summary: 'QA cycles: see every stage and its state; admins start, move, pause and cancel',
    },
    { name: 'calendar', usage: 'calendar [group <key>] | calendar revoke', summary: 'A private calendar feed of your (or a group\'s) deadlines for Outlook or Google' },
  ],
  configSection: plansSection,
  models: ['Cycle', 'CycleStage', 'StageSnooze', 'ExtensionRequest', 'CalendarFeed'],
  install(deps) {
    const { actions, forms } = cycleInteractions(deps);
    return {
      commands: { ...cycleCommands(deps), calendar: calendarCommand(deps.db, deps.publicUrl) },
      actions,
      forms,
      timers: cycleTimers(deps),
      routes: [calendarRoute(deps.db)],
      onMemberReachable: async (memberId) => void (await sendCatchUpCards(deps, memberId)),
    };
  },
});
