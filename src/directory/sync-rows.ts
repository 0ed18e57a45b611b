import type { AuditEntry } from '../core/audit.js';

export interface SyncCounts {
  created: number;
  updated: number;
  deactivated: number;
}

export interface SyncSpec<Row extends { id: string; active: boolean }, Desired> {
  subjectType: string;
  existing: Row[];
  desired: Desired[];
  identityOfRow(row: Row): string;
  identityOf(desired: Desired): string;
  /** The fields to store. A field left out is not compared (e.g. a linked Slack id the file does not mention). */
  fieldsOf(desired: Desired): Record<string, unknown>;
  create(desired: Desired): Promise<Row>;
  update(id: string, fields: Record<string, unknown>): Promise<void>;
  deactivate(ids: string[]): Promise<void>;
  audit(entry: Pick<AuditEntry, 'action' | 'subjectType' | 'subjectId' | 'data'>): Promise<void>;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Makes the rows match the file without deleting anything: new entries are created, changed ones updated, and
 * entries gone from the file are deactivated so their history (audit events, reminders sent) stays intact.
 * Returns identity -> row id for the desired entries.
 */
export async function syncRows<Row extends { id: string; active: boolean }, Desired>(spec: SyncSpec<Row, Desired>, counts: SyncCounts): Promise<Map<string, string>> {
  const byIdentity = new Map(spec.existing.map((row) => [spec.identityOfRow(row), row]));
  const ids = new Map<string, string>();
  for (const desired of spec.desired) {
    const identity = spec.identityOf(desired);
    const row = byIdentity.get(identity);
    if (!row) {
      const created = await spec.create(desired);
      ids.set(identity, created.id);
      counts.created += 1;
      await spec.audit({ action: `directory.${spec.subjectType}.added`, subjectType: spec.subjectType, subjectId: created.id, data: { key: identity } });
      continue;
    }
    ids.set(identity, row.id);
    const fields: Record<string, unknown> = { ...spec.fieldsOf(desired), active: true };
    const current = row as unknown as Record<string, unknown>;
    const changed = Object.keys(fields).filter((f) => !same(current[f], fields[f]));
    if (changed.length === 0) continue;
    await spec.update(row.id, Object.fromEntries(changed.map((f) => [f, fields[f]])));
    counts.updated += 1;
    const action = changed.includes('active') && !row.active ? 'reactivated' : 'updated';
    await spec.audit({ action: `directory.${spec.subjectType}.${action}`, subjectType: spec.subjectType, subjectId: row.id, data: { key: identity, fields: changed } });
  }
  const gone = spec.existing.filter((row) => row.active && !ids.has(spec.identityOfRow(row)));
  if (gone.length > 0) {
    await spec.deactivate(gone.map((r) => r.id));
    counts.deactivated += gone.length;
    for (const row of gone) {
      await spec.audit({ action: `directory.${spec.subjectType}.deactivated`, subjectType: spec.subjectType, subjectId: row.id, data: { key: spec.identityOfRow(row) } });
    }
  }
  return ids;
}
