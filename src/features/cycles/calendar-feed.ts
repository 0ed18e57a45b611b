import { createHash, randomBytes } from 'node:crypto';
import ical from 'ical-generator';
import { DateTime } from 'luxon';
import { recordAudit } from '../../core/audit.js';
import { forbidden, invalidInput } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import type { Db } from '../../store/db.js';
import { transact } from '../../store/unit-of-work.js';
import { isOwner } from '../../workflow/owners.js';
import { isAdmin } from './policy.js';
import { asCycle, asStage } from './stage-row.js';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Creates a private feed of deadlines: for the member, or for a group they belong to. The URL carries 32 random
 * bytes; only their hash is stored, so the database alone cannot rebuild a link, and `revoke` kills it.
 */
export async function createCalendarFeed(db: Db, profile: MemberProfile, publicUrl: string, groupKey?: string): Promise<{ url: string; label: string }> {
  let groupId: string | undefined;
  let label = 'your deadlines';
  if (groupKey) {
    const group = await db.group.findFirst({ where: { partnershipId: profile.partnershipId, key: groupKey, active: true } });
    if (!group) throw invalidInput(`There is no group "${groupKey}". Your groups: ${profile.groups.map((g) => g.key).join(', ') || 'none'}.`);
    if (!profile.groups.some((g) => g.id === group.id) && !isAdmin(profile)) throw forbidden(`Only members of ${group.name} can subscribe to its deadlines.`);
    groupId = group.id;
    label = `${group.name} deadlines`;
  }
  const token = randomBytes(32).toString('base64url');
  await transact(db, async (tx) => {
    const feed = await tx.calendarFeed.create({
      data: { tokenHash: hashToken(token), partnershipId: profile.partnershipId, memberId: groupId ? null : profile.memberId, groupId: groupId ?? null, createdById: profile.memberId },
    });
    await recordAudit(tx, { partnershipId: profile.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action: 'calendar.feed.created', subjectType: 'calendar_feed', subjectId: feed.id, data: { group: groupKey ?? null } });
  });
  return { url: `${publicUrl.replace(/\/$/, '')}/calendar/${token}.ics`, label };
}

export async function revokeCalendarFeeds(db: Db, profile: MemberProfile): Promise<number> {
  return transact(db, async (tx) => {
    const feeds = await tx.calendarFeed.findMany({ where: { createdById: profile.memberId, revokedAt: null }, select: { id: true } });
    if (feeds.length === 0) return 0;
    await tx.calendarFeed.updateMany({ where: { id: { in: feeds.map((f) => f.id) } }, data: { revokedAt: new Date() } });
    for (const feed of feeds) {
      await recordAudit(tx, { partnershipId: profile.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId, action: 'calendar.feed.revoked', subjectType: 'calendar_feed', subjectId: feed.id });
    }
    return feeds.length;
  });
}

/** The .ics body for a feed token, or undefined for an unknown or revoked one. Stage names and dates only. */
export async function renderCalendarFeed(db: Db, token: string, loadProfile: (memberId: string) => Promise<MemberProfile | undefined>): Promise<string | undefined> {
  const feed = await db.calendarFeed.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!feed || feed.revokedAt) return undefined;
  const partnership = await db.partnership.findUniqueOrThrow({ where: { id: feed.partnershipId } });
  const rows = await db.cycleStage.findMany({
    where: { status: { in: ['open', 'pending'] }, cycle: { partnershipId: feed.partnershipId, status: { in: ['active', 'paused'] } } },
    include: { cycle: true },
    orderBy: { dueOn: 'asc' },
  });
  const group = feed.groupId ? await db.group.findUnique({ where: { id: feed.groupId } }) : null;
  const profile = feed.memberId ? await loadProfile(feed.memberId) : undefined;
  if (feed.memberId && !profile) return undefined;
  // Anyone holding the link sees this name, so it names no person (the link promises "stage names and dates only").
  const calendar = ical({ name: `${partnership.name}: ${group ? `${group.name} deadlines` : 'my deadlines'}`, timezone: partnership.timezone, ttl: 3600 });
  for (const { cycle: rawCycle, ...rawStage } of rows) {
    const stage = asStage(rawStage);
    const cycle = asCycle(rawCycle);
    const relevant = group ? stage.owner.kind === 'group' && stage.owner.group === group.key : isOwner(profile!, stage.owner);
    if (!relevant) continue;
    const day = DateTime.fromISO(stage.dueOn, { zone: partnership.timezone });
    calendar.createEvent({
      id: `${stage.id}@partnership-bot`,
      // Luxon dates keep their zone: a JS Date at local midnight would be written with the server's own offset,
      // so on a UTC server every deadline in British Summer Time showed a day early.
      start: day,
      end: day.plus({ days: 1 }),
      allDay: true,
      summary: `Due: ${stage.name} (#${cycle.number} ${cycle.title})`,
      description: `Done means: ${stage.doneMeans}`,
    });
  }
  return calendar.toString();
}
