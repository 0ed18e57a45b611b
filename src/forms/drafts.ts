// Form drafts in PostgreSQL: one row per form and subject, shared by everyone who may edit it. Every save names the
// version it started from, so a save that someone else overtook is refused instead of overwriting their answers.
import type { DateTime } from 'luxon';
import type { FormValues } from '../messaging/message.js';
import { isUniqueViolation, type Db } from '../store/db.js';

export interface FormDraft {
  page: number;
  values: FormValues;
  version: number;
  updatedById: string;
  updatedAt: Date;
}

export interface DraftKey {
  formKey: string;
  subjectKey: string;
}

export interface DraftSave extends DraftKey {
  partnershipId: string;
  memberId: string;
  page: number;
  values: FormValues;
  /** The version the person's form was loaded at; 0 when there was no draft yet. */
  expectedVersion: number;
  now: DateTime;
}

export type DraftSaveOutcome =
  | { kind: 'saved'; version: number }
  /** Someone saved (or finished) since: `current` is what is there now (undefined when the draft is gone). */
  | { kind: 'conflict'; current?: FormDraft };

export async function loadDraft(db: Db, key: DraftKey): Promise<FormDraft | undefined> {
  const row = await db.formDraft.findUnique({ where: { formKey_subjectKey: key } });
  if (!row) return undefined;
  return { page: row.page, values: valuesFromJson(row.values), version: row.version, updatedById: row.updatedById, updatedAt: row.updatedAt };
}

/** Writes the draft if nobody saved since `expectedVersion`; never overwrites a newer one. */
export async function saveDraft(db: Db, save: DraftSave): Promise<DraftSaveOutcome> {
  const key = { formKey: save.formKey, subjectKey: save.subjectKey };
  const at = save.now.toJSDate();
  const data = { page: save.page, values: valuesToJson(save.values), updatedById: save.memberId, updatedAt: at };
  if (save.expectedVersion === 0) {
    try {
      await db.formDraft.create({ data: { ...key, ...data, partnershipId: save.partnershipId, version: 1, createdAt: at } });
      return { kind: 'saved', version: 1 };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return { kind: 'conflict', current: await loadDraft(db, key) };
    }
  }
  const { count } = await db.formDraft.updateMany({
    where: { ...key, version: save.expectedVersion },
    data: { ...data, version: { increment: 1 } },
  });
  if (count === 1) return { kind: 'saved', version: save.expectedVersion + 1 };
  return { kind: 'conflict', current: await loadDraft(db, key) };
}

/** Removes the draft once its answers are submitted, unless someone saved a newer one meanwhile. */
export async function deleteDraft(db: Db, key: DraftKey, version: number): Promise<boolean> {
  const { count } = await db.formDraft.deleteMany({ where: { ...key, version } });
  return count === 1;
}

// A cleared field is stored as '' so that it stays cleared (rather than falling back to the field's default).
function valuesToJson(values: FormValues): Record<string, string> {
  const json: Record<string, string> = {};
  for (const [id, value] of Object.entries(values)) json[id] = value ?? '';
  return json;
}

function valuesFromJson(json: unknown): FormValues {
  const values: FormValues = {};
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return values;
  for (const [id, value] of Object.entries(json)) values[id] = typeof value === 'string' && value !== '' ? value : undefined;
  return values;
}
