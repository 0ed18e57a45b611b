import { defineFeature } from '../contract.js';
import { adminActions } from './actions.js';
import { adminCommand } from './commands.js';
import { ADMIN_AUDIENCE } from './model.js';

/** Partnership admins' tools: `admin failed` lists the messages the bot could not deliver and retries them. */
export const adminFeature = defineFeature({
  name: 'admin',
  commands: [
    {
      name: 'admin',
      usage: 'admin failed | admin failed retry <number>|all',
      summary: 'Admins: messages the bot could not deliver, and retry them',
      audience: ADMIN_AUDIENCE,
    },
  ],
  models: [],
  install(deps) {
    return { commands: { admin: adminCommand(deps) }, actions: adminActions(deps) };
  },
});
