// `s11 report`: every rating, evidence and action as a CSV for Excel; a heat map of agencies by standards (self and
// moderated side by side); and the improvement actions with owners and dates.
import { formatDay } from '../../core/day-format.js';
import { csvFileSection } from '../../messaging/csv-file.js';
import type { ListItem, Message, MessageSection } from '../../messaging/message.js';
import type { Db, Tx } from '../../store/db.js';
import { fieldId } from './answers.js';
import { scaleLegend } from './cards.js';
import { renderHeatMapPng } from './heat-map.js';
import { isIn, shownStatus, statusLabels, type ReturnView, type RoundView } from './model.js';
import { roundReturns } from './repository.js';

/** Actions listed in the message itself; the CSV has them all. */
const ACTIONS_SHOWN = 15;

const fileStem = (round: RoundView) => `s11-round-${round.number}-${round.launchedOn.slice(0, 4)}`;

interface ActionRow {
  agency: string;
  agencyKey: string;
  ownerId: string;
  standard: string;
  text: string;
  owner: string;
  targetOn: string;
  doneOn: string | null;
}

async function roundActions(tx: Tx | Db, returns: ReturnView[], round: RoundView): Promise<ActionRow[]> {
  const rows = await tx.s11Action.findMany({ where: { returnId: { in: returns.map((r) => r.id) } }, orderBy: [{ targetOn: 'asc' }] });
  const owners = await tx.member.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.ownerId))] } }, select: { id: true, displayName: true } });
  return rows.map((a) => ({
    agency: returns.find((r) => r.id === a.returnId)?.agencyName ?? '',
    agencyKey: returns.find((r) => r.id === a.returnId)?.agencyKey ?? '',
    ownerId: a.ownerId,
    standard: round.settings.standards.find((s) => s.key === a.standardKey)?.number ?? a.standardKey,
    text: a.text,
    owner: owners.find((o) => o.id === a.ownerId)?.displayName ?? 'a former member',
    targetOn: a.targetOn,
    doneOn: a.doneOn,
  }));
}

export function reportCsv(round: RoundView, returns: ReturnView[], memberNames: Map<string, string>): MessageSection {
  const label = (key: string | undefined) => round.settings.scale.find((s) => s.key === key)?.label ?? '';
  const header = ['Round', 'Agency', 'Status', 'Standard', 'Standard name', 'Self rating', 'Moderated rating', 'Evidence', 'Evidence links', 'Improvement action', 'Action owner', 'Target date', 'Why not applicable'];
  const rows = returns.flatMap((r) => round.settings.standards.map((s) => {
    const a = (part: Parameters<typeof fieldId>[1]) => (isIn(r) ? r.answers?.[fieldId(s.key, part)] : undefined) ?? '';
    return [round.title, r.agencyName, statusLabels[shownStatus(r)], s.number, s.name, label(a('rating') || undefined), label(r.moderation?.ratings[s.key]), a('evidence'), a('links'), a('action'), memberNames.get(a('owner')) ?? '', a('target'), a('na')];
  }));
  return csvFileSection(`${fileStem(round)}-ratings.csv`, `${round.title}: ratings, evidence and actions`, header, rows);
}

export function heatMapSection(round: RoundView, returns: ReturnView[]): MessageSection {
  const png = renderHeatMapPng({
    title: `${round.title}: ratings`,
    subtitle: 'Self-assessed (S) and moderated (M) ratings side by side',
    standards: round.settings.standards.map((s) => ({ key: s.key, number: s.number, name: s.name })),
    agencies: returns.map((r) => ({
      name: r.agencyName,
      self: Object.fromEntries(round.settings.standards.map((s) => [s.key, isIn(r) ? r.answers?.[fieldId(s.key, 'rating')] : undefined])),
      moderated: r.moderation?.ratings ?? {},
    })),
    scale: round.settings.scale,
  });
  const inCount = returns.filter(isIn).length;
  return {
    kind: 'image',
    png: png.toString('base64'),
    title: `${round.title}: heat map`,
    alt: `Heat map of ${returns.length} agencies by ${round.settings.standards.length} standards; ${inCount} returns in. Each cell shows the rating's letter: ${scaleLegend(round.settings.scale)}. The CSV has every rating.`,
  };
}

export function actionItems(actions: ActionRow[], today: string, zone: string): ListItem[] {
  return actions.map((a) => {
    const overdue = !a.doneOn && a.targetOn < today;
    return {
      title: `${a.agency}, standard ${a.standard}: ${a.text}`,
      detail: `${a.owner} · by ${formatDay(a.targetOn, zone)}${a.doneOn ? ` · done ${formatDay(a.doneOn, zone)}` : ''}`,
      status: a.doneOn ? 'Done' : overdue ? 'Overdue' : 'Open',
      tone: a.doneOn ? 'good' : overdue ? 'attention' : 'accent',
    };
  });
}

export async function roundReport(tx: Tx | Db, round: RoundView, today: string, zone: string): Promise<Message> {
  const returns = await roundReturns(tx, round.id);
  const ownerIds = returns.flatMap((r) => round.settings.standards.map((s) => r.answers?.[fieldId(s.key, 'owner')] ?? '')).filter(Boolean);
  const members = await tx.member.findMany({ where: { id: { in: [...new Set(ownerIds)] } }, select: { id: true, displayName: true } });
  const actions = await roundActions(tx, returns, round);
  const inCount = returns.filter(isIn).length;
  const heading = `${round.title} (round ${round.number}): ${inCount} of ${returns.length} returns in. The heat map shows self-assessed and moderated ratings side by side; the CSV has every rating, evidence and action.`;
  const open = actions.filter((a) => !a.doneOn);
  const sections: MessageSection[] = [
    { kind: 'text', text: heading },
    heatMapSection(round, returns),
    reportCsv(round, returns, new Map(members.map((m) => [m.id, m.displayName]))),
  ];
  if (actions.length > 0) {
    sections.push({ kind: 'list', title: `Improvement actions (${open.length} open of ${actions.length})`, items: actionItems(actions.slice(0, ACTIONS_SHOWN), today, zone) });
    if (actions.length > ACTIONS_SHOWN) sections.push({ kind: 'context', text: `${actions.length - ACTIONS_SHOWN} more in the CSV. \`s11 actions\` lists the overdue ones.` });
  } else {
    sections.push({ kind: 'context', text: 'No improvement actions yet: they come with returns rated short of met.' });
  }
  return { title: `${round.title}: report`, text: heading, sections };
}

export { roundActions, type ActionRow };
