import type { TurnContext } from 'botbuilder';
import { describe, expect, it, vi } from 'vitest';
import { BotError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import type { InboundPort } from '../../src/interactions/inbound-port.js';
import type { ActionResult } from '../../src/interactions/types.js';
import type { Message } from '../../src/messaging/message.js';
import { renderSlackMessage } from '../../src/platforms/slack/render-message.js';
import { renderAdaptiveCard } from '../../src/platforms/teams/render-card.js';
import { answerCardAction } from '../../src/platforms/teams/teams-invoke.js';
import { expectValidAdaptiveCard, expectWithinBlockKitLimits } from '../support/card-validation.js';

const view = { actionId: 's11.return.view', value: 'r1', memberIds: ['m-lead'] };
const base: Message = {
  title: 'Return for Wiltshire Police',
  text: 'Return for Wiltshire Police',
  sections: [
    { kind: 'facts', facts: [{ label: 'Status', value: 'Submitted' }] },
    { kind: 'actions', actions: [{ id: 's11.return.open', label: 'Open', value: 'r1' }] },
  ],
};
const leadCard: Message = { ...base, sections: [...base.sections, { kind: 'actions', actions: [{ id: 's11.return.edit', label: 'Edit', value: 'r1' }] }], personalView: view };

describe('a message with a personal view', () => {
  it('renders on Slack exactly as it would without one (Slack has no per-viewer cards)', () => {
    const slack = renderSlackMessage({ ...base, personalView: view });
    expect(slack).toEqual(renderSlackMessage(base));
    expectWithinBlockKitLimits(slack.blocks);
  });

  it('renders on Teams without a refresh: only the sender, who knows the members’ Teams ids, adds it', () => {
    expect(renderAdaptiveCard({ ...base, personalView: view })).toEqual(renderAdaptiveCard(base));
  });
});

/** An adaptiveCard/action invoke from `from`, as Teams sends it for a button (manual) or a refresh (automatic). */
function invoke(trigger: 'manual' | 'automatic', verb = view.actionId): TurnContext {
  const activity = {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: 'invoke-1',
    from: { id: '29:lead', aadObjectId: 'aad-lead' },
    conversation: { id: '19:board@thread.tacv2', conversationType: 'channel', tenantId: 't1' },
    serviceUrl: 'https://smba.example/',
    value: { action: { type: 'Action.Execute', verb, data: { value: 'r1' } }, trigger },
  };
  return { activity } as unknown as TurnContext;
}

function portAnswering(result: () => Promise<ActionResult>) {
  const reply = vi.fn(async () => undefined);
  const port = { logger: createLogger('silent'), runAction: vi.fn(result), reply } as unknown as InboundPort;
  return { port, reply };
}

type CardAnswer = { statusCode: number; type: string; value: Record<string, any> };

describe('the answer to a Teams refresh (adaptiveCard/action, trigger automatic)', () => {
  it('is the viewer’s own card, still refreshing for them so Teams keeps asking', async () => {
    const { port } = portAnswering(async () => ({ kind: 'card', card: leadCard }));
    const answer = await answerCardAction(port, invoke('automatic'));
    expect(answer.status).toBe(200);
    const body = answer.body as CardAnswer;
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expectValidAdaptiveCard(body.value);
    expect(JSON.stringify(body.value)).toContain('"title":"Edit"');
    expect(body.value['refresh']).toEqual({ action: { type: 'Action.Execute', verb: 's11.return.view', data: { value: 'r1' } }, userIds: ['29:lead'] });
  });

  it('leaves the card as it is, without a word, when the answer is a refusal, a notice card or a failure', async () => {
    const results: (() => Promise<ActionResult>)[] = [
      async () => ({ kind: 'notice', message: { text: 'Only members of the partnership can use these buttons.', sections: [] } }),
      async () => ({ kind: 'notice', message: { title: 'Return status', text: 'A status card', sections: [] } }),
      async () => ({ kind: 'form', form: { callbackId: 'x', title: 'X', submitLabel: 'Save', fields: [] } }),
      async () => {
        throw new BotError('forbidden', 'no', 'You may not see this.');
      },
      async () => {
        throw new Error('database unavailable');
      },
    ];
    for (const result of results) {
      const { port, reply } = portAnswering(result);
      const answer = await answerCardAction(port, invoke('automatic'));
      expect(answer).toEqual({ status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: '' } });
      // Nothing is posted into the conversation: a message there would make Teams refresh again, and again.
      expect(reply).not.toHaveBeenCalled();
    }
  });

  it('never submits a form on its own', async () => {
    const { port } = portAnswering(async () => ({ kind: 'card', card: base }));
    const submitForm = vi.fn();
    Object.assign(port, { submitForm, formFor: vi.fn(() => ({ callbackId: 'x', title: 'X', submitLabel: 'Save', fields: [] })) });
    const answer = await answerCardAction(port, invoke('automatic', 'form:x'));
    expect(answer.status).toBe(200);
    expect(submitForm).not.toHaveBeenCalled();
  });
});

describe('the same action pressed by hand (trigger manual)', () => {
  it('answers a personal card with a refresh nobody gets automatically ("Refresh card" in the menu)', async () => {
    const { port } = portAnswering(async () => ({ kind: 'card', card: leadCard }));
    const body = (await answerCardAction(port, invoke('manual'))).body as CardAnswer;
    expectValidAdaptiveCard(body.value);
    expect((body.value['refresh'] as { userIds: string[] }).userIds).toEqual([]);
  });

  it('still shows a refusal to the person who pressed', async () => {
    const { port } = portAnswering(async () => ({ kind: 'notice', message: { text: 'Only the lead can edit this return.', sections: [] } }));
    const answer = await answerCardAction(port, invoke('manual'));
    expect(answer.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Only the lead can edit this return.' });
  });
});
