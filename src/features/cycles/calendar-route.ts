import { loadMemberProfile } from '../../directory/member-lookup.js';
import type { HttpRoute } from '../../http/routes.js';
import type { Db } from '../../store/db.js';
import { renderCalendarFeed } from './calendar-feed.js';

/** GET /calendar/<token>.ics: a member's or group's deadlines for Outlook and Google Calendar. */
export function calendarRoute(db: Db): HttpRoute {
  return {
    method: 'GET',
    path: '/calendar/:file',
    async handle({ params }) {
      const match = /^([A-Za-z0-9_-]{20,100})\.ics$/.exec(params.file ?? '');
      const body = match ? await renderCalendarFeed(db, match[1]!, (id) => loadMemberProfile(db, id)) : undefined;
      if (!body) return { status: 404, contentType: 'text/plain', body: 'No such calendar (the link may have been revoked).' };
      return { status: 200, contentType: 'text/calendar; charset=utf-8', headers: { 'cache-control': 'private, max-age=300' }, body };
    },
  };
}
