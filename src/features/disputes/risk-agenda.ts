import { transact } from '../../store/unit-of-work.js';
import { addAgendaItem } from '../../workflow/agenda.js';
import type { FeatureDeps } from '../contract.js';
import { RISK_AGENDA_SOURCE, RISK_AGENDA_TITLE } from './risk-policy.js';
import { disputePolicy } from './schema.js';

/**
 * The risk register is a standing item on every meeting of the group the partnership file names
 * (`disputes.riskRegister.reviewGroup`, Swindon's Executive). Runs on every start, after the file is imported: adds the
 * item once, and takes it off a group the file no longer names (a review group changed or removed).
 */
export async function keepRiskRegisterOnAgenda(deps: FeatureDeps): Promise<void> {
  const partnerships = await deps.db.partnership.findMany({ select: { id: true, sections: true } });
  for (const p of partnerships) {
    const groupKey = disputePolicy(p.sections).riskRegister.reviewGroup;
    await transact(deps.db, async (tx) => {
      const kept = groupKey
        ? await addAgendaItem(tx, { partnershipId: p.id, groupKey, title: RISK_AGENDA_TITLE, sourceKey: RISK_AGENDA_SOURCE, standing: true })
        : undefined;
      if (groupKey && !kept) deps.logger.warn({ partnershipId: p.id, groupKey }, 'risk register review group is not an active group; no standing agenda item');
      const dropped = await tx.agendaItem.deleteMany({
        where: { partnershipId: p.id, sourceKey: RISK_AGENDA_SOURCE, standing: true, ...(kept ? { NOT: { id: kept.id } } : {}) },
      });
      if (dropped.count > 0) deps.logger.info({ partnershipId: p.id, removed: dropped.count }, 'risk register agenda item taken off a group no longer named');
    });
  }
}
