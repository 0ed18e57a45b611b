import { DateTime } from 'luxon';
import type { FormNotice, Message } from '../messaging/message.js';
import { OPEN_FORM_ACTION } from './open-form.js';
import type { Db } from '../store/db.js';
import type { FormDraft } from './drafts.js';

export const RELOAD_LABEL = 'Reload';

/** When and by whom, in the reader's zone: "at 14:02", or "on 3 Mar at 14:02" when it was not today. */
export async function changedBy(db: Db, draft: FormDraft, reader: { memberId: string; timezone: string }, now: DateTime): Promise<string> {
  const at = DateTime.fromJSDate(draft.updatedAt, { zone: reader.timezone });
  const today = now.setZone(reader.timezone).hasSame(at, 'day');
  const when = today ? `at ${at.toFormat('HH:mm')}` : `on ${at.toFormat('d LLL')} at ${at.toFormat('HH:mm')}`;
  if (draft.updatedById === reader.memberId) return `Changed by you (in another window) ${when}`;
  const member = await db.member.findUnique({ where: { id: draft.updatedById }, select: { displayName: true } });
  return `Changed by ${member?.displayName ?? 'someone else'} ${when}`;
}

/** The banner for a save that someone else overtook; nothing of theirs was overwritten. */
export async function conflictNotice(db: Db, current: FormDraft | undefined, reader: { memberId: string; timezone: string }, now: DateTime): Promise<FormNotice> {
  if (!current) {
    return {
      tone: 'warning',
      text: 'These answers were submitted or discarded by someone else since you opened the form: your page was not saved. Reload to start again from what is saved now.',
      reload: { label: RELOAD_LABEL },
    };
  }
  const who = await changedBy(db, current, reader, now);
  return {
    tone: 'warning',
    text: `${who}: your page was not saved. Reload to see their answers (what you typed here is replaced when you reload).`,
    reload: { label: RELOAD_LABEL },
  };
}

/** After a reload: whose answers these are. */
export async function reloadedNotice(db: Db, current: FormDraft | undefined, reader: { memberId: string; timezone: string }, now: DateTime): Promise<FormNotice> {
  if (!current) return { tone: 'info', text: 'Reloaded: there is no saved draft, so the form starts from the beginning.' };
  const who = await changedBy(db, current, reader, now);
  return { tone: 'info', text: `Reloaded: these are the latest answers. ${who}.` };
}

/** Opening a form that has a draft: it carries on from it, and says whose and when ("Saved by you on 3 Mar at 14:02"). */
export async function resumedNotice(db: Db, draft: FormDraft, reader: { memberId: string; timezone: string }, now: DateTime): Promise<FormNotice> {
  const who = (await changedBy(db, draft, reader, now)).replace(/^Changed by you \(in another window\)/, 'Saved by you').replace(/^Changed by/, 'Saved by');
  return { tone: 'info', text: `Carrying on from the draft. ${who}.${draft.page > 0 ? ' Back shows the earlier pages.' : ''}` };
}

/** For a form that was closed: the draft is kept (or, on a conflict, why this page was not), with a button to carry on. */
export async function closedMessage(
  db: Db,
  form: { title: string; openValue?: string },
  conflict: { current: FormDraft | undefined } | undefined,
  reader: { memberId: string; timezone: string },
  now: DateTime,
): Promise<Message> {
  let text = `Your answers to *${form.title}* are saved as a draft. Carry on whenever you like, in Slack or in Teams.`;
  if (conflict) {
    text = conflict.current
      ? `${await changedBy(db, conflict.current, reader, now)}, so what you typed on the last page of *${form.title}* was not saved. Open the form to see their answers.`
      : `The answers to *${form.title}* were submitted or discarded by someone else, so what you typed on the last page was not saved.`;
  }
  const sections: Message['sections'] = [{ kind: 'text', text }];
  if (form.openValue) sections.push({ kind: 'actions', actions: [{ id: OPEN_FORM_ACTION, label: conflict ? 'Open form' : 'Carry on', value: form.openValue }] });
  return { text, sections };
}
