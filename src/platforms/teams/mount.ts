import express, { type Express } from 'express';
import type { Activity } from 'botbuilder';
import type { InboundPort } from '../../interactions/inbound-port.js';
import type { TeamsAdapter } from './adapter.js';
import { TeamsBot } from './teams-bot.js';

/**
 * Mounts POST /api/messages on the adapter that also sends (see TeamsSender). A token that fails validation gets 401
 * with a generic body; any other failure goes to the app's error handler (logged, generic 500).
 */
export function mountTeams(app: Express, adapter: TeamsAdapter, port: InboundPort): void {
  const bot = new TeamsBot(port);
  app.post('/api/messages', express.json({ limit: '256kb' }), async (req, res, next) => {
    if (!req.body || typeof req.body !== 'object' || typeof req.body.type !== 'string') {
      res.status(400).json({ error: 'bad_request', detail: 'expected a Bot Framework activity' });
      return;
    }
    try {
      const invoke = await adapter.receive(req.header('authorization') ?? '', withDates(req.body as Activity), (context) => bot.run(context));
      res.status(invoke?.status ?? 200);
      if (invoke?.body !== undefined) res.send(invoke.body);
      else res.end();
    } catch (error) {
      if (isRejectedToken(error)) res.status(401).json({ error: 'unauthorized' });
      else next(error);
    }
  });
}

/** Token validation failures: Bot Framework's own 401s and the JWT library's (bad signature or algorithm, expired). */
const jwtLibraryErrors = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

function isRejectedToken(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (jwtLibraryErrors.has(error.name)) return true;
  // A 500 AuthenticationError means the signing keys could not be fetched: our problem, not the caller's.
  return error.constructor.name === 'AuthenticationError' && (error as { statusCode?: number }).statusCode === 401;
}

/** What CloudAdapter.process does to an activity before its turn: timestamps arrive as strings. */
function withDates(activity: Activity): Activity {
  const raw = activity as Activity & Record<string, unknown>;
  for (const [field, rawField] of [['timestamp', 'rawTimestamp'], ['expiration', 'rawExpiration'], ['localTimestamp', 'rawLocalTimestamp']] as const) {
    const value = raw[field];
    if (typeof value === 'string') Object.assign(raw, { [rawField]: value, [field]: new Date(value) });
  }
  return activity;
}

/** A Teams-shaped answer when Teams is off, so a misconfigured bot registration is easy to spot. */
export function refuseTeams(app: Express): void {
  app.post('/api/messages', (_req, res) => {
    res.status(404).json({ error: 'teams_disabled', detail: 'Teams is not enabled on this server (set MICROSOFT_APP_ID)' });
  });
}
