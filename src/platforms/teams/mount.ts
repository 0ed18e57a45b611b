import express, { type Express } from 'express';
import type { Services } from '../../app/services.js';
import type { TeamsSettings } from '../../config.js';
import { createTeamsAdapter } from './adapter.js';
import { TeamsSender } from './sender.js';
import { TeamsBot } from './teams-bot.js';

/** Mounts POST /api/messages. Returns the sender the delivery worker uses for Teams. */
export function mountTeams(app: Express, teams: TeamsSettings, services: Services): TeamsSender {
  const adapter = createTeamsAdapter(teams, services.logger);
  const bot = new TeamsBot(services);
  app.post('/api/messages', express.json({ limit: '256kb' }), async (req, res) => {
    if (!req.body || typeof req.body !== 'object' || typeof req.body.type !== 'string') {
      res.status(400).json({ error: 'bad_request', detail: 'expected a Bot Framework activity' });
      return;
    }
    await adapter.process(req, res, (context) => bot.run(context));
  });
  return new TeamsSender(adapter, services.db, teams.appId ?? '');
}

/** A Teams-shaped answer when Teams is off, so a misconfigured bot registration is easy to spot. */
export function refuseTeams(app: Express): void {
  app.post('/api/messages', (_req, res) => {
    res.status(404).json({ error: 'teams_disabled', detail: 'Teams is not enabled on this server (set MICROSOFT_APP_ID)' });
  });
}
