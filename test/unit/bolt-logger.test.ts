import { describe, expect, it } from 'vitest';
import { withoutPayload } from '../../src/platforms/slack/bolt-logger.js';

describe("Bolt's log lines", () => {
  it('keep what happened and drop the bodies they dump', () => {
    expect(withoutPayload(['http request body: {"view":{"blocks":[{"text":"Case CR-12 typed text"}]}}'])).toBe('http request body: {…}');
    expect(withoutPayload(['http request url: https://slack.com/api/views.open'])).toBe('http request url: https://slack.com/api/views.open');
    expect(withoutPayload(['event', { text: 'typed text' }])).toBe('event {…}');
    expect(withoutPayload([Object.assign(new Error('typed text'), { code: 'slack_webapi_platform_error' })])).toBe('Error (slack_webapi_platform_error)');
  });
});
