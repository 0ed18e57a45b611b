import { defineFeature } from '../contract.js';
import { disputeActions, disputeFormHandlers } from './actions.js';
import { sendDisputeCatchUp } from './catch-up.js';
import { disputeCommand, risksCommand } from './commands.js';
import { keepRiskRegisterOnAgenda } from './risk-agenda.js';
import { disputesSection } from './schema.js';
import { disputeTimers } from './timers.js';

/** Professional disagreements between partners, escalated stage by stage to the chair; and the partnership's risk register. */
export const disputesFeature = defineFeature({
  name: 'disputes',
  commands: [
    {
      name: 'dispute',
      usage: 'dispute raise | dispute list | dispute status <number> | dispute escalate <number> "<reason>" | dispute resolve <number> | dispute log [year]',
      summary: 'Disagreements between partners: raise one, see where yours stand, escalate or agree an outcome',
    },
    {
      name: 'risks',
      usage: 'risks | risks add | risks review <number> | risks close <number> | risks export',
      summary: "The partnership's risk register: entries scored by impact and likelihood, reviewed by the Executive",
    },
  ],
  configSection: disputesSection,
  models: ['Dispute', 'DisputeEvent', 'RiskEntry'],
  install(deps) {
    return {
      commands: { dispute: disputeCommand(deps), risks: risksCommand(deps) },
      actions: disputeActions(deps),
      forms: disputeFormHandlers(deps),
      timers: disputeTimers(deps),
      onMemberReachable: async (memberId) => void (await sendDisputeCatchUp(deps, memberId)),
      onStart: () => keepRiskRegisterOnAgenda(deps),
    };
  },
});
