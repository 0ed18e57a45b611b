import { defineFeature } from '../contract.js';
import { actionLogButtons } from './actions.js';
import { actionsCommand } from './commands.js';
import { actionLogSection } from './schema.js';
import { actionLogTimers } from './timers.js';

/** Per-group action logs: `actions` to list, add and close them; each action reminded to its owner, escalated to the chair. */
export const actionLogFeature = defineFeature({
  name: 'action-log',
  commands: [
    {
      name: 'actions',
      usage: 'actions [group] | actions add <group> "<what>" <owner> <due date> | actions done <number>',
      summary: "Action logs: your actions or a group's; chairs add them, owners mark them done",
    },
  ],
  configSection: actionLogSection,
  models: ['ActionItem'],
  install(deps) {
    return {
      commands: { actions: actionsCommand(deps) },
      actions: actionLogButtons(deps),
      timers: actionLogTimers(deps),
    };
  },
});
