import { DateTime } from 'luxon';
import { forbidden } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import { csvFileSection } from '../../messaging/csv-file.js';
import type { Message } from '../../messaging/message.js';
import type { FeatureDeps } from '../contract.js';
import { seesAllDisputes } from './model.js';
import { listDisputes } from './repository.js';
import { inDisputeScope } from './scope.js';

const HEADER = ['Number', 'Raised', 'Subject', 'Case reference', 'Raised by', 'Raised by agency', 'Other party', 'Other agency', 'Urgent', 'Stage reached', 'Status', 'Outcome', 'Resolved', 'Learning'];

/** The challenge log for a year (1 January to 31 December, by the day raised) as a CSV file, for chairs and admins. */
export async function challengeLog(deps: FeatureDeps, profile: MemberProfile, year: number): Promise<Message> {
  return inDisputeScope(deps, profile.partnershipId, async ({ tx, chairs, calendar }) => {
    if (!seesAllDisputes(profile, chairs)) throw forbidden('Only the chair, the business manager or an admin can export the challenge log. `dispute list` shows your own disputes.');
    const zone = calendar.zone;
    const from = DateTime.fromObject({ year, month: 1, day: 1 }, { zone });
    const disputes = (await listDisputes(tx, profile.partnershipId, { includeSettled: true, raisedSince: from.toJSDate(), raisedBefore: from.plus({ years: 1 }).toJSDate() })).reverse();
    const rows = disputes.map((d) => [
      d.number, DateTime.fromJSDate(d.raisedAt).setZone(zone).toISODate()!, d.subject, d.caseRef ?? '', d.raisedBy.name, d.raisedBy.agency ?? '',
      d.otherParty.name, d.otherParty.agency ?? '', d.urgent ? 'Yes' : 'No', `${d.stageIndex + 1}. ${d.stages[d.stageIndex]?.name ?? ''}`,
      d.status[0]!.toUpperCase() + d.status.slice(1), d.outcome ?? '', d.resolvedAt ? DateTime.fromJSDate(d.resolvedAt).setZone(zone).toISODate()! : '', d.learning ?? '',
    ]);
    const line = `Challenge log ${year}: ${rows.length} dispute${rows.length === 1 ? '' : 's'} raised.`;
    return {
      title: `Challenge log ${year}`,
      text: line,
      sections: [{ kind: 'text', text: line }, csvFileSection(`challenge-log-${year}.csv`, `Challenge log ${year}`, HEADER, rows)],
    };
  });
}
