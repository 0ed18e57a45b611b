// Examples in the `cycle` usage lines, taken from the partnership's own plans and today's date, so a newcomer can
// copy one and it works here (a plan key from another partnership's file would only earn another error).
import type { DateTime } from 'luxon';
import type { Db } from '../../store/db.js';
import { plansOf } from './repository.js';

/** Today written both ways `parseDay` reads, e.g. "2027-03-01 or 1/3/2027". */
export function dateExamples(today: DateTime): string {
  return `${today.toISODate()} or ${today.toFormat('d/M/yyyy')}`;
}

export async function startUsage(db: Db, partnershipId: string, today: DateTime): Promise<string> {
  const usage = 'Usage: `cycle start <plan> "<title>" [start date] [lead]`';
  const plan = (await plansOf(db, partnershipId))[0];
  if (!plan) return `${usage}. This partnership's file has no plans yet.`;
  const title = `${plan.name.replace(/"/g, '')}, ${today.setLocale('en-GB').toFormat('LLLL yyyy')}`;
  return `${usage}, e.g. \`cycle start ${plan.key} "${title}" ${today.toISODate()}\`.`;
}

export async function moveUsage(db: Db, partnershipId: string, today: DateTime): Promise<string> {
  const usage = 'Usage: `cycle move <number> <stage> <date>`';
  const stage = (await plansOf(db, partnershipId)).find((plan) => plan.stages.length > 0)?.stages[0];
  if (!stage) return `${usage}. Type \`cycle status <number>\` to see the stages of a cycle.`;
  return `${usage}, e.g. \`cycle move 1 ${stage.key} ${today.plus({ weeks: 2 }).toISODate()}\`. Type \`cycle status 1\` to see its stages.`;
}
