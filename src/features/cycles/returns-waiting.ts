import type { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import type { MemberProfile } from '../../directory/identity.js';
import type { Db, Tx } from '../../store/db.js';
import type { ReturnView } from './returns-cards.js';
import { loadReturnView } from './returns-lifecycle.js';
import { loadReturn } from './returns-repository.js';
import { asCycle, asStage } from './stage-row.js';

/** The agencies whose safeguarding lead the member is (`leads:` in the partnership file): their returns are asked of them. */
export function agenciesLedBy(profile: MemberProfile): string[] {
  return profile.roles.filter((r) => r.role === 'agency_lead' && r.scopeKey.startsWith('agency:')).map((r) => r.scopeKey.slice('agency:'.length));
}

/**
 * The returns still awaited from the agencies the member leads, in open stages of active cycles, soonest due first:
 * what `tasks` lists and what a lead who becomes reachable is sent again.
 */
export async function returnsAwaitedFrom(tx: Tx | Db, profile: MemberProfile, calendar: WorkingCalendar, now: DateTime): Promise<ReturnView[]> {
  const agencies = agenciesLedBy(profile);
  if (agencies.length === 0) return [];
  const rows = await tx.stageReturn.findMany({
    where: awaitedFrom(profile, agencies),
    include: { stage: { include: { cycle: true } } },
    orderBy: [{ stage: { dueOn: 'asc' } }, { agency: { name: 'asc' } }],
  });
  const views: ReturnView[] = [];
  for (const { stage: { cycle, ...stage }, id } of rows) {
    views.push(await loadReturnView(tx, (await loadReturn(tx, id))!, asCycle(cycle), asStage(stage), calendar, now));
  }
  return views;
}

/** Whether any return is awaited from an agency the member leads: a cheap look before building any card. */
export async function anyReturnAwaitedFrom(db: Tx | Db, profile: MemberProfile): Promise<boolean> {
  const agencies = agenciesLedBy(profile);
  return agencies.length > 0 && (await db.stageReturn.count({ where: awaitedFrom(profile, agencies) })) > 0;
}

function awaitedFrom(profile: MemberProfile, agencies: string[]) {
  return {
    status: 'awaited',
    agency: { key: { in: agencies }, partnershipId: profile.partnershipId },
    stage: { status: 'open', cycle: { partnershipId: profile.partnershipId, status: 'active' } },
  } as const;
}
