import { defineFeature } from '../contract.js';
import { s11Actions, s11FormHandlers } from './actions.js';
import { sendS11CatchUp } from './catch-up.js';
import { s11Command } from './commands.js';
import { launchAllRecurringRounds } from './recurring.js';
import { returnForm } from './return-form.js';
import { section11Section } from './schema.js';
import { s11Timers } from './timers.js';

/** Section 11 audit returns (and the Care Act and schools' audits): rounds, one return per agency through cards, chased, signed off, moderated, reported. */
export const section11Feature = defineFeature({
  name: 'section11',
  commands: [
    {
      name: 's11',
      usage: 's11 launch "<title>" due <date> | s11 open | s11 status [round] | s11 report [round] | s11 actions | s11 rounds | s11 close <round>',
      summary: "Section 11 audits: launch a round, fill in your agency's return, see where returns stand, get the heat map and the actions",
    },
  ],
  configSection: section11Section,
  models: ['S11Round', 'S11Return', 'S11Event', 'S11Extension', 'S11Action'],
  install(deps) {
    const form = returnForm(deps);
    return {
      commands: { s11: s11Command(deps, form) },
      actions: s11Actions(deps, form),
      forms: s11FormHandlers(deps, form),
      timers: s11Timers(deps),
      onMemberReachable: async (memberId) => void (await sendS11CatchUp(deps, memberId)),
      onStart: () => launchAllRecurringRounds(deps),
    };
  },
});
