import { reply, type CommandHandler } from '../../commands/types.js';
import type { Db } from '../../store/db.js';
import { createCalendarFeed, revokeCalendarFeeds } from './calendar-feed.js';

/** `calendar [group <key>]` and `calendar revoke`. */
export function calendarCommand(db: Db, publicUrl: string): CommandHandler {
  return async ({ profile, args }) => {
    const [sub, key] = args;
    if (sub?.toLowerCase() === 'revoke') {
      const count = await revokeCalendarFeeds(db, profile!);
      const text = count > 0 ? `Revoked ${count} calendar link${count === 1 ? '' : 's'}. Calendars subscribed to them stop updating.` : 'You have no calendar links to revoke.';
      return reply({ text, sections: [{ kind: 'text', text }] });
    }
    const groupKey = sub?.toLowerCase() === 'group' ? key : undefined;
    if (sub?.toLowerCase() === 'group' && !key) {
      const example = profile!.groups[0]?.key ?? (await db.group.findFirst({ where: { partnershipId: profile!.partnershipId, active: true }, orderBy: { key: 'asc' }, select: { key: true } }))?.key;
      const text = example ? `Say which group, e.g. \`calendar group ${example}\`.` : 'Say which group: `calendar group <key>`.';
      return reply({ text, sections: [{ kind: 'text', text }] });
    }
    const { url, label } = await createCalendarFeed(db, profile!, publicUrl, groupKey);
    return reply({
      title: 'Your private calendar link',
      text: `Subscribe to ${label}: ${url}`,
      sections: [
        { kind: 'text', text: `Subscribe to ${label} in Outlook (Add calendar › From internet) or Google Calendar (Other calendars › From URL):` },
        { kind: 'text', text: `\`${url}\`` },
        { kind: 'context', text: 'Anyone with this link can see the deadlines in it (stage names and dates only). Keep it to yourself; `calendar revoke` switches it off.' },
      ],
    });
  };
}
