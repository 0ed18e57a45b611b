import { DateTime } from 'luxon';
import { recordAudit } from '../../core/audit.js';
import { forbidden } from '../../core/errors.js';
import type { MemberProfile } from '../../directory/identity.js';
import { csvFileSection } from '../../messaging/csv-file.js';
import type { Message } from '../../messaging/message.js';
import { transact } from '../../store/unit-of-work.js';
import type { FeatureDeps } from '../contract.js';
import { riskBand } from './model.js';
import { canExportRegister, exportersInWords } from './risk-policy.js';
import { everyRisk, type RiskRecord } from './risk-repository.js';
import { disputePolicy } from './schema.js';

const HEADER = ['Number', 'Risk', 'Impact', 'Likelihood', 'Score', 'Band', 'Owner', 'Mitigation', 'Review date', 'Status', 'Dispute', 'Added on', 'Added by', 'Closed on'] as const;

const isoDay = (at: Date | undefined, zone: string) => (at ? DateTime.fromJSDate(at).setZone(zone).toISODate()! : '');

function row(r: RiskRecord, zone: string): (string | number)[] {
  return [
    r.number, r.risk, r.impact, r.likelihood, r.score, riskBand(r.score).label, r.owner.name, r.mitigation, r.reviewOn,
    r.status === 'open' ? 'Open' : 'Closed', r.disputeNumber ?? '', isoDay(r.addedAt, zone), r.addedBy, isoDay(r.closedAt, zone),
  ];
}

/**
 * `risks export`: every entry, open and closed, as a CSV for the annual report (a BOM for Excel; a cell starting
 * = + - @ escaped, since people typed them). The register's readers only; the export itself is audited.
 */
export async function exportRegister(deps: FeatureDeps, profile: MemberProfile, now: DateTime): Promise<Message> {
  return transact(deps.db, async (tx) => {
    const partnership = await tx.partnership.findUniqueOrThrow({ where: { id: profile.partnershipId }, select: { slug: true, timezone: true, sections: true } });
    const reviewGroup = disputePolicy(partnership.sections).riskRegister.reviewGroup;
    if (!canExportRegister(profile, reviewGroup)) {
      const group = reviewGroup ? await tx.group.findFirst({ where: { partnershipId: profile.partnershipId, key: reviewGroup }, select: { name: true } }) : null;
      throw forbidden(`Only ${exportersInWords(group?.name)} can export the whole risk register. Type \`risks\` to see the open risks.`);
    }
    const risks = await everyRisk(tx, profile.partnershipId);
    const zone = partnership.timezone;
    const today = now.setZone(zone).toISODate()!;
    await recordAudit(tx, {
      partnershipId: profile.partnershipId, actor: profile.displayName, actorMemberId: profile.memberId,
      action: 'disputes.risk.exported', subjectType: 'partnership', subjectId: profile.partnershipId, data: { entries: risks.length },
    });
    const open = risks.filter((r) => r.status === 'open').length;
    const line = risks.length === 0
      ? 'The risk register is empty: the file has only its header row.'
      : `The risk register as a CSV file for the annual report: ${risks.length} entr${risks.length === 1 ? 'y' : 'ies'}, ${open} open and ${risks.length - open} closed.`;
    return {
      title: 'Risk register export',
      text: line,
      sections: [
        { kind: 'text', text: line },
        csvFileSection(`risk-register-${partnership.slug}-${today}.csv`, 'Risk register (CSV)', HEADER, risks.map((r) => row(r, zone))),
      ],
    };
  });
}
