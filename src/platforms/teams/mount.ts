import express, { type Express } from 'express';
import type { CloudAdapter } from 'botbuilder';
import type { InboundPort } from '../../interactions/inbound-port.js';
import { TeamsBot } from './teams-bot.js';

/** Mounts POST /api/messages on the adapter that also sends (see TeamsSender). */
export function mountTeams(app: Express, adapter: CloudAdapter, port: InboundPort): void {
  const bot = new TeamsBot(port);
  app.post('/api/messages', express.json({ limit: '256kb' }), async (req, res) => {
    if (!req.body || typeof req.body !== 'object' || typeof req.body.type !== 'string') {
      res.status(400).json({ error: 'bad_request', detail: 'expected a Bot Framework activity' });
      return;
    }
    await adapter.process(req, res, (context) => bot.run(context));
  });
}

/** A Teams-shaped answer when Teams is off, so a misconfigured bot registration is easy to spot. */
export function refuseTeams(app: Express): void {
  app.post('/api/messages', (_req, res) => {
    res.status(404).json({ error: 'teams_disabled', detail: 'Teams is not enabled on this server (set MICROSOFT_APP_ID)' });
  });
}
