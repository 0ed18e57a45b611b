import type { Express } from 'express';
import type { Services } from '../app/services.js';
import { loadMemberProfile } from '../directory/member-lookup.js';
import { renderCalendarFeed } from '../features/cycles/calendar-feed.js';

/** GET /calendar/<token>.ics: a member's or group's deadlines for Outlook and Google Calendar. */
export function mountCalendarFeeds(app: Express, services: Pick<Services, 'db'>): void {
  app.get('/calendar/:file', async (req, res) => {
    const match = /^([A-Za-z0-9_-]{20,100})\.ics$/.exec(req.params.file);
    const body = match ? await renderCalendarFeed(services.db, match[1]!, (id) => loadMemberProfile(services.db, id)) : undefined;
    if (!body) {
      res.status(404).type('text/plain').send('No such calendar (the link may have been revoked).');
      return;
    }
    res.status(200).type('text/calendar; charset=utf-8').setHeader('cache-control', 'private, max-age=300').send(body);
  });
}
