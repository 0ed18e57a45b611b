import { reply, type CommandHandler } from '../../commands/types.js';
import type { MemberProfile } from '../../directory/identity.js';
import type { Message, MessageSection } from '../../messaging/message.js';
import type { Db } from '../../store/db.js';
import { partnershipCalendar } from '../../workflow/partnership-calendar.js';
import { formatDay, formatDayTime } from './format.js';
import { mayDecideExtension } from './policy.js';
import { asCycle, asStage } from './stage-row.js';

/** Four blocks each: ten stay well inside Slack's 50 blocks a message. */
const SHOWN_AT_MOST = 10;

/** The list's own Approve and Decline: besides deciding, they redraw the list they sit on. */
export const requestListActions = { approve: 'extension.list.approve', decline: 'extension.list.decline' } as const;

/** What a list button carries: the request it decides, and every request on that list (to redraw it). */
interface ListButton {
  request: string;
  shown: string[];
}

export function readListButton(value: string | undefined): ListButton | undefined {
  try {
    const parsed = JSON.parse(value ?? '') as Partial<ListButton> | null;
    if (!parsed || typeof parsed.request !== 'string' || !Array.isArray(parsed.shown) || !parsed.shown.every((id) => typeof id === 'string')) return undefined;
    return { request: parsed.request, shown: parsed.shown.slice(0, SHOWN_AT_MOST) };
  } catch {
    return undefined;
  }
}

const include = { stage: { include: { cycle: true } }, requestedBy: { select: { displayName: true } }, decidedBy: { select: { displayName: true } } } as const;
type Row = Awaited<ReturnType<typeof loadRows>>[number];
const loadRows = (db: Db, where: object) => db.extensionRequest.findMany({ where, include, orderBy: { createdAt: 'asc' } });

/** One request on the list: its Approve and Decline while it waits, what was decided once it is not. */
function requestSections(r: Row, shown: string[], zone: string): MessageSection[] {
  const cycle = asCycle(r.stage.cycle);
  const button = (id: string) => JSON.stringify({ request: r.id, shown } satisfies ListButton);
  const decided = r.status === 'pending'
    ? undefined
    : `${r.status === 'approved' ? 'Approved' : 'Declined'} by ${r.decidedBy?.displayName ?? 'a member'}${r.decidedAt ? `, ${formatDayTime(r.decidedAt, zone)}` : ''}. ${r.status === 'approved' ? `Now due ${formatDay(r.proposedDueOn, zone)}.` : 'The due date stays as it was.'}`;
  return [
    { kind: 'divider' },
    {
      kind: 'facts',
      facts: [
        { label: 'Stage', value: r.stage.name },
        { label: 'Cycle', value: `#${cycle.number} ${cycle.title}` },
        { label: 'Asked by', value: r.requestedBy.displayName },
        { label: 'Due now', value: formatDay(r.stage.dueOn, zone) },
        { label: 'Proposed', value: formatDay(r.proposedDueOn, zone) },
      ],
    },
    { kind: 'text', text: `*Reason:* ${r.reason}` },
    decided
      ? { kind: 'text', text: `*${decided}*` }
      : {
          kind: 'actions',
          actions: [
            { id: requestListActions.approve, label: 'Approve', style: 'primary', value: button(requestListActions.approve) },
            { id: requestListActions.decline, label: 'Decline', style: 'danger', value: button(requestListActions.decline) },
          ],
        },
  ];
}

function listCard(rows: Row[], waiting: number, zone: string, more: number): Message {
  const shown = rows.map((r) => r.id);
  const count = waiting === 0 ? 'Nothing left to decide on this list.' : `${waiting} request${waiting === 1 ? '' : 's'} for more time waiting for your decision.`;
  const rest = more > 0 ? [{ kind: 'context' as const, text: `The oldest ${SHOWN_AT_MOST} are shown; decide them and type \`requests\` again for the rest.` }] : [];
  return { title: 'Requests for more time', text: count, sections: [{ kind: 'text', text: count }, ...rows.flatMap((r) => requestSections(r, shown, zone)), ...rest] };
}

/** The list a button was pressed on, as it stands now: decided requests show their outcome, the rest keep their buttons. */
export async function requestListNow(db: Db, me: MemberProfile, shown: string[]): Promise<Message> {
  const rows = await loadRows(db, { id: { in: shown }, stage: { cycle: { partnershipId: me.partnershipId } } });
  const { zone } = await partnershipCalendar(db, me.partnershipId);
  const waiting = rows.filter((r) => r.status === 'pending').length;
  return listCard(rows, waiting, zone, 0);
}

/**
 * `requests`: the requests for more time waiting for a decision the caller may take (the chair of the stage's
 * escalation group, the member it was sent to, the business manager, an admin), each with Approve and Decline.
 */
export function requestsCommand(db: Db): CommandHandler {
  return async ({ profile }) => {
    const me = profile!;
    const rows = await loadRows(db, { status: 'pending', stage: { status: { in: ['open', 'pending'] }, cycle: { partnershipId: me.partnershipId, status: 'active' } } });
    const mine = rows.filter((r) => mayDecideExtension(me, r, asStage(r.stage)));
    if (mine.length === 0) {
      const text = 'Nothing to decide: no requests for more time are waiting for you.';
      return reply({ text, sections: [{ kind: 'text', text }] });
    }
    const { zone } = await partnershipCalendar(db, me.partnershipId);
    return reply(listCard(mine.slice(0, SHOWN_AT_MOST), mine.length, zone, mine.length - SHOWN_AT_MOST));
  };
}
