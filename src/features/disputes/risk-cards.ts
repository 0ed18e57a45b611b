import type { DateTime } from 'luxon';
import type { WorkingCalendar } from '../../core/calendar.js';
import { formatDay, formatDayTime } from '../../core/day-format.js';
import type { Message, MessageSection, TableRow } from '../../messaging/message.js';
import { riskBand, type RiskView } from './model.js';
import { riskButtons, type RiskReminderKind } from './risk-policy.js';

/** The usual 5x5 matrix words for each score of impact and likelihood. */
export const IMPACT_WORDS = ['Negligible', 'Minor', 'Moderate', 'Major', 'Severe'] as const;
export const LIKELIHOOD_WORDS = ['Rare', 'Unlikely', 'Possible', 'Likely', 'Almost certain'] as const;

export const impactText = (n: number) => `${n} ${IMPACT_WORDS[n - 1] ?? ''}`.trim();
export const likelihoodText = (n: number) => `${n} ${LIKELIHOOD_WORDS[n - 1] ?? ''}`.trim();
/** "12 High": the band in words beside the number, so a score never rests on its colour. */
export const scoreText = (score: number) => `${score} ${riskBand(score).label}`;
const scoreInFull = (r: Pick<RiskView, 'score' | 'impact' | 'likelihood'>) =>
  `${scoreText(r.score)} (impact ${impactText(r.impact)} × likelihood ${likelihoodText(r.likelihood)})`;

const text = (t: string): MessageSection => ({ kind: 'text', text: t });
const todayIn = (now: DateTime, zone: string) => now.setZone(zone).toISODate()!;

function reviewCell(reviewOn: string, now: DateTime, zone: string): TableRow['cells'][number] {
  const today = todayIn(now, zone);
  if (reviewOn < today) return { text: `${formatDay(reviewOn, zone)} (overdue)`, tone: 'attention' };
  if (reviewOn === today) return { text: `${formatDay(reviewOn, zone)} (today)`, tone: 'warning' };
  return { text: formatDay(reviewOn, zone) };
}

/** `risks`: the open register as a table, highest score first. */
export function riskTableCard(risks: readonly RiskView[], now: DateTime, zone: string, canExport = true): Message {
  const title = 'Risk register';
  const hint = `Type \`risks add\` to add a risk, \`risks review <number>\` once one is reviewed, \`risks close <number>\` when it no longer applies${canExport ? ', `risks export` for the annual report' : ''}.`;
  if (risks.length === 0) {
    const empty = 'The risk register has no open risks.';
    return { title, text: empty, sections: [text(empty), { kind: 'context', text: hint }] };
  }
  const high = risks.filter((r) => r.score >= 10).length;
  const overdue = risks.filter((r) => r.reviewOn < todayIn(now, zone)).length;
  const summary = `${risks.length} open risk${risks.length === 1 ? '' : 's'}${high > 0 ? `, ${high} high or very high` : ''}${overdue > 0 ? `, ${overdue} overdue for review` : ''}.`;
  return {
    title,
    text: `${title}: ${summary}`,
    sections: [
      text(summary),
      {
        kind: 'table',
        columns: [{ label: '#', align: 'right' }, { label: 'Risk' }, { label: 'Owner' }, { label: 'Score (impact × likelihood)' }, { label: 'Review' }],
        rows: risks.map((r) => {
          const band = riskBand(r.score);
          return {
            cells: [
              { text: String(r.number) },
              { text: r.disputeNumber ? `${r.risk} (from dispute #${r.disputeNumber})` : r.risk },
              { text: r.owner.name },
              { text: `${scoreText(r.score)} (${r.impact} × ${r.likelihood})`, tone: band.tone },
              reviewCell(r.reviewOn, now, zone),
            ],
          };
        }),
      },
      { kind: 'context', text: `Score = impact × likelihood: 1-4 Low, 5-9 Medium, 10-14 High, 15-25 Very high. ${hint}` },
    ],
  };
}

function facts(risk: RiskView, zone: string): MessageSection {
  return {
    kind: 'facts',
    facts: [
      { label: 'Risk', value: risk.risk },
      { label: 'Score', value: scoreInFull(risk) },
      { label: 'Owner', value: risk.owner.name },
      { label: 'Mitigation', value: risk.mitigation },
      { label: 'Next review', value: formatDay(risk.reviewOn, zone) },
      ...(risk.disputeNumber ? [{ label: 'From', value: `Dispute #${risk.disputeNumber}` }] : []),
    ],
  };
}

const buttons = (risk: RiskView): MessageSection => ({
  kind: 'actions',
  actions: [
    { id: riskButtons.review, label: 'Record review', style: 'primary', value: risk.id },
    {
      id: riskButtons.close,
      label: 'Close risk',
      value: risk.id,
      confirm: { title: `Close risk #${risk.number}?`, text: 'It leaves the open register and its reminders stop. It stays in the export.', confirm: 'Close it', deny: 'Keep it open' },
    },
  ],
});

function openCard(risk: RiskView, heading: string, line: string, zone: string): Message {
  return { title: heading, text: `${heading}. ${line}`, sections: [text(line), facts(risk, zone), buttons(risk)] };
}

/** Told to the owner when someone else adds a risk for them. */
export function newOwnerCard(risk: RiskView, addedBy: string, zone: string): Message {
  return openCard(risk, `Risk #${risk.number} on the register is yours`, `${addedBy} added it to the risk register with you as its owner. You will be reminded before ${formatDay(risk.reviewOn, zone)}, its review date. Press Record review (or type \`risks review ${risk.number}\`) once it is reviewed.`, zone);
}

/** The answer to the person who added it. */
export function addedCard(risk: RiskView, addedByOwner: boolean, zone: string): Message {
  const who = addedByOwner ? 'You will be reminded' : `${risk.owner.name} has been told and will be reminded`;
  const line = `Added risk #${risk.number} to the register, scored ${scoreText(risk.score)}. ${who} before its review on ${formatDay(risk.reviewOn, zone)}.`;
  return { title: `Risk #${risk.number} added`, text: line, sections: [text(line), facts(risk, zone)] };
}

export function riskReminderCard(risk: RiskView, kind: RiskReminderKind, now: DateTime, calendar: WorkingCalendar): Message {
  const zone = calendar.zone;
  const on = formatDay(risk.reviewOn, zone);
  switch (kind) {
    case 'before': {
      const left = calendar.workingDaysUntil(risk.reviewOn, now);
      return openCard(risk, `Risk #${risk.number} is due for review in ${left} working day${left === 1 ? '' : 's'}`, `Its review date is ${on}. Check the score and the mitigation, then press Record review.`, zone);
    }
    case 'due':
      return openCard(risk, `Risk #${risk.number} is due for review today`, `Its review date is today, ${on}. Check the score and the mitigation, then press Record review.`, zone);
    case 'chase':
      return openCard(risk, `Risk #${risk.number} is overdue for review`, `It was due for review ${on} and shows as overdue on the register the Executive sees. Record the review, or close the risk if it no longer applies.`, zone);
  }
}

/** What every copy of a risk's cards reads once it is closed. */
export function closedCard(risk: RiskView & { closedAt?: Date | undefined }, by: string | undefined, zone: string): Message {
  const when = risk.closedAt ? `, ${formatDayTime(risk.closedAt, zone)}` : '';
  const line = `${by ? `Closed by ${by}` : 'Closed'}${when}. No more review reminders.`;
  return { title: `Risk #${risk.number}: closed`, text: line, sections: [text(line), facts(risk, zone)] };
}

/** What every copy reads once a review is recorded: the new score and next review date. */
export function reviewedCard(risk: RiskView, by: string, at: Date, zone: string): Message {
  const line = `Reviewed by ${by}, ${formatDayTime(at, zone)}. Next review ${formatDay(risk.reviewOn, zone)}.`;
  return { title: `Risk #${risk.number}: reviewed`, text: line, sections: [text(line), facts(risk, zone)] };
}

/** What every copy reads after an Undo of "closed". */
export function reopenedCard(risk: RiskView, by: string, zone: string): Message {
  return openCard(risk, `Risk #${risk.number} is open again`, `${by} undid "closed": it is back on the register, with its review on ${formatDay(risk.reviewOn, zone)}.`, zone);
}
