import type { DateTime } from 'luxon';
import { invalidInput } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import type { Message } from '../../messaging/message.js';
import type { Db } from '../../store/db.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import { isOwner } from '../../workflow/owners.js';
import { ownCycleId } from './ownership.js';
import { returnsAwaitedFrom } from './returns-waiting.js';
import { findCycleByNumber, loadCycle } from './repository.js';
import { asCycle, asStage } from './stage-row.js';
import { loadStageView, type StageView } from './stage-view.js';
import { cycleListMessage, cycleStatusCard, tasksMessage } from './status-cards.js';

export async function cycleStatus(db: Db, profile: MemberProfile, reference: string | undefined, now: DateTime): Promise<Message> {
  const found = await findCycleByNumber(db, profile.partnershipId, reference);
  if (!found) {
    throw invalidInput(reference ? `There is no cycle ${reference}. Type \`cycle list\` to see them.` : 'There is no active cycle. Type `cycle list` to see them all.');
  }
  return cycleStatusCardById(db, profile, found.id, now);
}

/** The status card of one of the member's own partnership's cycles; any other id (from an edited payload) is refused. */
export async function cycleStatusCardById(db: Db, profile: MemberProfile, cycleId: string, now: DateTime): Promise<Message> {
  const { cycle, stages } = await loadCycle(db, await ownCycleId(db, profile, cycleId));
  const calendar = await partnershipCalendar(db, cycle.partnershipId);
  const views = await Promise.all(stages.map((s) => loadStageView(db, s, cycle, calendar, now)));
  const lead = cycle.leadMemberId ? await db.member.findUnique({ where: { id: cycle.leadMemberId }, select: { displayName: true } }) : null;
  // The first stage's view already holds the cycle's agenda (loadStageView reads it for that stage).
  return cycleStatusCard(cycle, views, lead?.displayName, views.find((v) => v.stage.seq === 0)?.agenda ?? []);
}

export async function cycleList(db: Db, profile: MemberProfile): Promise<Message> {
  const cycles = await db.cycle.findMany({ where: { partnershipId: profile.partnershipId }, orderBy: { number: 'desc' }, take: 25, include: { stages: { select: { status: true } } } });
  return cycleListMessage(
    cycles.map(({ stages, ...c }) => ({ cycle: asCycle(c), progress: `${stages.filter((s) => s.status === 'done').length} of ${stages.length} stages done` })),
  );
}

/** What is due for me: open stages I own in active cycles and my agencies' awaited returns, soonest first. */
export async function myTasks(db: Db, profile: MemberProfile, now: DateTime): Promise<Message> {
  const rows = await db.cycleStage.findMany({
    where: { status: 'open', cycle: { partnershipId: profile.partnershipId, status: 'active' } },
    include: { cycle: true },
    orderBy: { dueOn: 'asc' },
  });
  const calendar = await partnershipCalendar(db, profile.partnershipId);
  const views: StageView[] = [];
  for (const { cycle, ...stage } of rows) {
    const s = asStage(stage);
    if (isOwner(profile, s.owner)) views.push(await loadStageView(db, s, asCycle(cycle), calendar, now));
  }
  return tasksMessage(views, await returnsAwaitedFrom(db, profile, calendar, now));
}
