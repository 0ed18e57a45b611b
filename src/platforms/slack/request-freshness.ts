import type { RequestHandler } from 'express';

/** Slack's replay window: a signed request more than five minutes from our clock, either way, is refused. */
export const slackRequestWindowSeconds = 5 * 60;

/**
 * Refuses (401, empty body, as Bolt does) a request whose signed timestamp is more than five minutes in the future.
 * Bolt 5.1 refuses only old timestamps, so a request signed ahead of time could be replayed until that time passed.
 * Reads the header only; Bolt still checks the signature (and everything else) afterwards.
 */
export function refuseFutureSlackTimestamps(now: () => number = Date.now): RequestHandler {
  return (req, res, next) => {
    const timestamp = Number(req.header('x-slack-request-timestamp'));
    if (Number.isFinite(timestamp) && timestamp > Math.floor(now() / 1000) + slackRequestWindowSeconds) {
      res.status(401).send();
      return;
    }
    next();
  };
}
