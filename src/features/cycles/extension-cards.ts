import type { Message } from '../../messaging/message.js';
import { formatDay } from './format.js';
import type { CycleRow } from './stage-row.js';

export const extensionActions = { approve: 'extension.approve', decline: 'extension.decline' } as const;

export function extensionRequestCard(input: { requestId: string; stageName: string; cycle: CycleRow; requesterName: string; currentDueOn: string; proposedDueOn: string; reason: string; zone: string }): Message {
  const title = `More time requested: ${input.stageName}`;
  return {
    title,
    text: `${input.requesterName} asks to move "${input.stageName}" to ${formatDay(input.proposedDueOn, input.zone)}.`,
    sections: [
      {
        kind: 'facts',
        facts: [
          { label: 'Cycle', value: `#${input.cycle.number} ${input.cycle.title}` },
          { label: 'Stage', value: input.stageName },
          { label: 'Asked by', value: input.requesterName },
          { label: 'Due now', value: formatDay(input.currentDueOn, input.zone) },
          { label: 'Proposed', value: formatDay(input.proposedDueOn, input.zone) },
        ],
      },
      { kind: 'text', text: `*Reason:* ${input.reason}` },
      {
        kind: 'actions',
        actions: [
          { id: extensionActions.approve, label: 'Approve', style: 'primary', value: input.requestId },
          { id: extensionActions.decline, label: 'Decline', style: 'danger', value: input.requestId },
        ],
      },
    ],
  };
}

export function extensionDecidedCard(input: { stageName: string; cycle: CycleRow; requesterName: string; proposedDueOn: string; approved: boolean; deciderName: string; decidedAt: string; zone: string }): Message {
  const verdict = input.approved ? `Approved by ${input.deciderName}, ${input.decidedAt}` : `Declined by ${input.deciderName}, ${input.decidedAt}`;
  const effect = input.approved ? `"${input.stageName}" is now due ${formatDay(input.proposedDueOn, input.zone)}.` : 'The due date stays as it was.';
  return {
    title: `More time ${input.approved ? 'approved' : 'declined'}: ${input.stageName}`,
    text: `${verdict}. ${effect}`,
    sections: [
      { kind: 'facts', facts: [{ label: 'Cycle', value: `#${input.cycle.number} ${input.cycle.title}` }, { label: 'Asked by', value: input.requesterName }] },
      { kind: 'text', text: `*${verdict}*. ${effect}` },
    ],
  };
}
