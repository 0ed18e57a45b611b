// A toy feature, written only to prove that a feature plugs in: one command, one two-page form with a draft, one
// timer, a card with a personal view, and a section of the partnership file. It lives in a test folder with a real
// feature's shape.
import type { Message, MessageSection } from '../../src/messaging/message.js';

/** One draft per member: what the toy form's answers are about. */
export const toySubject = (memberId: string) => `toy:${memberId}`;

export const toyFormKey = 'toy.survey';
export const toyTimerKind = 'toy.nudge';
export const toyTimerKey = (memberId: string) => `toy:${memberId}:nudge`;

/** The nudge goes this many working days after the form was opened, at 09:30. */
export const NUDGE_AFTER_WORKING_DAYS = 2;

// When a member finishes the survey, their answers go to a group's channel as a card that everyone reads, and that
// only they can edit: on Teams the card as sent is read-only and their personal view (a Universal Actions refresh)
// adds "Edit answers"; on Slack everyone sees the read-only card (the answerer has the survey's own thanks).

/** The group whose channel hears about finished surveys. */
export const TOY_ANSWERS_GROUP_KEY = 'executive';
/** Asked by Teams for each viewer of the answers card (its refresh). */
export const TOY_ANSWERS_VIEW = 'toy.answers.view';
export const TOY_ANSWERS_EDIT = 'toy.answers.edit';
/** Every copy of a member's answers card, so a second finish updates it in place. */
export const toyAnswersSubject = (memberId: string) => `toy-answers:${memberId}`;

export interface ToyAnswers {
  memberId: string;
  /** The answerer's display name, as the card shows it. */
  by: string;
  name: string;
  colour: string;
  size?: string;
}

const COLOURS: Record<string, string> = { red: 'Red', blue: 'Blue' };
export const TOY_COLOUR_OPTIONS = Object.entries(COLOURS).map(([value, label]) => ({ value, label }));

/** The answers as a button value (well under Slack's and Teams' 2,000 characters: the name is at most 40). */
export function encodeToyAnswers(answers: ToyAnswers): string {
  return JSON.stringify({ m: answers.memberId, b: answers.by, n: answers.name, c: answers.colour, ...(answers.size ? { s: answers.size } : {}) });
}

export function decodeToyAnswers(value: string | undefined): ToyAnswers | undefined {
  try {
    const v = JSON.parse(value ?? '') as Record<string, unknown>;
    if (typeof v.m !== 'string' || typeof v.b !== 'string' || typeof v.n !== 'string' || typeof v.c !== 'string') return undefined;
    return { memberId: v.m, by: v.b, name: v.n, colour: v.c, ...(typeof v.s === 'string' ? { size: v.s } : {}) };
  } catch {
    return undefined;
  }
}

/** The answers card: read-only for everyone, with "Edit answers" in the answerer's own view. */
export function toyAnswersCard(answers: ToyAnswers, view: 'everyone' | 'answerer'): Message {
  const value = encodeToyAnswers(answers);
  const text = `${answers.by} finished the toy survey.`;
  const facts = [
    { label: 'Toy name', value: answers.name },
    { label: 'Colour', value: COLOURS[answers.colour] ?? answers.colour },
    ...(answers.size ? [{ label: 'Size (cm)', value: answers.size }] : []),
  ];
  const own: MessageSection[] =
    view === 'answerer'
      ? [{ kind: 'actions', actions: [{ id: TOY_ANSWERS_EDIT, label: 'Edit answers', value }] }, { kind: 'context', text: 'Only you see the Edit answers button.' }]
      : [];
  return {
    title: 'Toy survey answers',
    text,
    sections: [{ kind: 'text', text }, { kind: 'facts', facts }, ...own],
    personalView: { actionId: TOY_ANSWERS_VIEW, value, memberIds: [answers.memberId] },
  };
}
