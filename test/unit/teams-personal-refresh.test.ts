import { describe, expect, it } from 'vitest';
import { renderAdaptiveCard } from '../../src/platforms/teams/render-card.js';
import { TEAMS_REFRESH_USER_IDS_MAX, withPersonalRefresh } from '../../src/platforms/teams/personal-refresh.js';
import { readAdaptiveAction } from '../../src/platforms/teams/render-form.js';
import { expectValidAdaptiveCard } from '../support/card-validation.js';

const card = renderAdaptiveCard({ title: 'Return for Wiltshire Police', text: 'Return for Wiltshire Police', sections: [{ kind: 'text', text: 'Submitted on 3 March.' }] });

describe('withPersonalRefresh', () => {
  it('asks Teams to fetch each listed person’s own card with the view’s action', () => {
    const personal = withPersonalRefresh(card, { actionId: 's11.return.view', value: 'r1' }, ['29:lead', '29:deputy', '29:lead']);
    expectValidAdaptiveCard(personal);
    expect(personal['refresh']).toEqual({ action: { type: 'Action.Execute', verb: 's11.return.view', data: { value: 'r1' } }, userIds: ['29:lead', '29:deputy'] });
    // Teams sends the refresh like a button press (trigger "automatic"), so it reaches the same action handler.
    const invoke = { action: (personal['refresh'] as { action: object }).action, trigger: 'automatic' };
    expect(readAdaptiveAction(invoke)).toEqual({ kind: 'action', actionId: 's11.return.view', value: 'r1' });
  });

  it('lists at most 60 people, and leaves a card with nobody to refresh for unchanged', () => {
    const many = Array.from({ length: 75 }, (_, i) => `29:user-${i}`);
    const personal = withPersonalRefresh(card, { actionId: 'x' }, many);
    expect((personal['refresh'] as { userIds: string[] }).userIds).toHaveLength(TEAMS_REFRESH_USER_IDS_MAX);
    expect(withPersonalRefresh(card, { actionId: 'x' }, [])).toBe(card);
  });
});
