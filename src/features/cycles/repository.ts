import type { Db, Tx } from '../../store/db.js';
import { BotError } from '../../core/errors.js';
import { rowNumber } from '../../core/row-number.js';
import type { CyclePlan } from './model.js';
import { asCycle, asStage, type CycleRow, type StageRow } from './stage-row.js';

type Reader = Tx | Db;

export async function loadCycle(tx: Reader, cycleId: string): Promise<{ cycle: CycleRow; stages: StageRow[] }> {
  const row = await tx.cycle.findUnique({ where: { id: cycleId }, include: { stages: { orderBy: { seq: 'asc' } } } });
  if (!row) throw new BotError('not_found', `cycle ${cycleId} not found`, 'That cycle no longer exists.');
  const { stages, ...cycle } = row;
  return { cycle: asCycle(cycle), stages: stages.map(asStage) };
}

export async function loadStage(tx: Reader, stageId: string): Promise<{ cycle: CycleRow; stage: StageRow; stages: StageRow[] }> {
  const row = await tx.cycleStage.findUnique({ where: { id: stageId }, select: { cycleId: true } });
  if (!row) throw new BotError('not_found', `stage ${stageId} not found`, 'That stage no longer exists.');
  const { cycle, stages } = await loadCycle(tx, row.cycleId);
  return { cycle, stage: stages.find((s) => s.id === stageId)!, stages };
}

/** A cycle by the number people type (`3` or `#3`); without a number, the partnership's latest active cycle. */
export async function findCycleByNumber(tx: Reader, partnershipId: string, reference: string | undefined): Promise<CycleRow | undefined> {
  if (reference === undefined) {
    const latest = await tx.cycle.findFirst({ where: { partnershipId, status: { in: ['active', 'paused'] } }, orderBy: { number: 'desc' } });
    return latest ? asCycle(latest) : undefined;
  }
  const number = rowNumber(reference);
  if (number === undefined) return undefined;
  const row = await tx.cycle.findUnique({ where: { partnershipId_number: { partnershipId, number } } });
  return row ? asCycle(row) : undefined;
}

export async function plansOf(tx: Reader, partnershipId: string): Promise<CyclePlan[]> {
  const p = await tx.partnership.findUniqueOrThrow({ where: { id: partnershipId }, select: { sections: true } });
  return ((p.sections as { plans?: CyclePlan[] } | null)?.plans as CyclePlan[] | undefined) ?? [];
}
