import { readFile } from 'node:fs/promises';
import { DateTime } from 'luxon';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startBot, eventually, type BotHarness, outboxDrained } from './bot-harness.js';
import { giveEveryMemberATeamsChat, TeamsUser } from './teams-chat.js';
import { cardsReadBy, runYear, snapshotOfExample, type YearRunFigures } from './year-run.js';
import { reportIfSlow } from './stall-report.js';

// Issue 8: a simulated year of an example partnership, as its partnership file is, on a fake clock through the real
// BullMQ path. From Tue 1 Dec 2026 to 31 Dec 2027 the clock jumps from one pending timer to the next; every stage is
// marked done at noon on its due day; per-agency returns come in from every agency but one, which is chased on its
// own ladder. On 1 Jul 2027 our Redis keys are deleted and the bot restarted. One date is skipped by an admin first.

export interface YearPartnership {
  name: string;
  tenant: string;
  admin: { aad: string; name: string };
  skip: { plan: string; date: string; reply: string };
  /** Dates in 2027 worked out by hand from the seed wording, for a few plans (plan key -> group key -> dates). */
  handChecked: Record<string, Record<string, string[]>>;
  /** The agency that never sends a return. */
  silentAgency: string;
}

const start = DateTime.fromISO('2026-12-01T10:00:00Z'); // a Tuesday
const end = DateTime.fromISO('2027-12-31T23:59:00', { zone: 'Europe/London' });
// England and Wales bank holidays in the run (with the substitute days for those falling on a weekend).
const bankHolidays = new Set(['2026-12-25', '2026-12-28', '2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28']);
const restartAt = DateTime.fromISO('2027-07-01T00:00:00', { zone: 'Europe/London' });

export function describeYearOf(p: YearPartnership): void {
  describe(`a year of ${p.name[0]!.toUpperCase()}${p.name.slice(1)}`, () => {
    const clock = new ManualClock(start);
    let bot: BotHarness;
    let removeSnapshot: () => Promise<void>;
    let admin: TeamsUser;
    /** Recurring plans of the file with a stage that asks for per-agency returns. */
    let returnsPlans: string[] = [];

    beforeAll(async () => {
      const snapshot = await snapshotOfExample(p.name);
      removeSnapshot = snapshot.remove;
      const file = parse(await readFile(snapshot.file, 'utf8')) as { plans?: { key: string; recurs?: unknown; stages: { returns?: unknown }[] }[] };
      returnsPlans = (file.plans ?? []).filter((plan) => plan.recurs && plan.stages.some((stage) => stage.returns)).map((plan) => plan.key);
      bot = await startBot({ partnership: p.name, recurringPlans: true, clock, slack: false, env: { PARTNERSHIP_CONFIG: snapshot.file, DELIVERY_RATE_PER_SECOND: '1000' } });
      await giveEveryMemberATeamsChat(bot, p.tenant);
      admin = new TeamsUser(bot, p.admin.aad, p.tenant, p.admin.name);
    });
    afterAll(async () => {
      // A stop that hangs (it did once in CI, after a stalled run) says what it waits for before the hook times out.
      if (bot) await reportIfSlow(bot, 'stopping the bot', 30_000, () => bot.stop());
      await removeSnapshot?.();
    });

    let planned: { planKey: string; groupKey: string; occursOn: string; startsAt: Date }[] = [];
    let figures: YearRunFigures;
    let seconds = 0;

    it('runs from December 2026 to the end of 2027, through a Redis flush and a restart, with one date skipped', async () => {
      expect(await admin.ask(`cycle schedule ${p.skip.plan}`)).toContain(DateTime.fromISO(p.skip.date).toFormat('ccc d LLL yyyy'));
      expect(await admin.ask(`cycle skip ${p.skip.plan} ${p.skip.date}`)).toContain(p.skip.reply);
      // Every date up to the end of 2027 is written down from the start (about 400 days ahead).
      planned = (await bot.db.planOccurrence.findMany({ where: { startsAt: { lte: end.toJSDate() } }, orderBy: { startsAt: 'asc' } }))
        .map(({ planKey, groupKey, occursOn, startsAt, status }) => ({ planKey, groupKey, occursOn, startsAt, status }))
        .filter((o) => o.status === 'planned');
      expect(planned.length).toBeGreaterThan(0);
      const began = Date.now();
      figures = await runYear({ bot, clock, tenant: p.tenant, adminAad: p.admin.aad, silentAgencyKey: p.silentAgency, end, restartAt });
      seconds = Math.round((Date.now() - began) / 1000);
      console.log(`year of ${p.name}: ${seconds}s`, figures, `${planned.length} occurrences`);
      expect(figures.restarted).toBe(true);
    }, 400_000);

    it('started every date the plans gave, each once, at its own start time; the skipped one never', async () => {
      const cycles = await bot.db.cycle.findMany({ include: { occurrence: true }, orderBy: { startOn: 'asc' } });
      const keyOf = (c: { planKey: string; groupKey: string; date: string }) => `${c.planKey} ${c.groupKey || '-'} ${c.date}`;
      const started = cycles.map((c) => keyOf({ planKey: c.planKey, groupKey: c.occurrence?.groupKey ?? '?', date: c.startOn }));
      expect(new Set(started).size, 'no plan, group and date started twice').toBe(started.length);
      expect(started.sort()).toEqual(planned.map((o) => keyOf({ ...o, date: o.occursOn })).sort());
      // Each cycle's own plan names the group it runs for.
      for (const c of cycles) if (c.occurrence?.groupKey) expect((c.plan as { group?: string }).group).toBe(c.occurrence.groupKey);

      for (const [plan, groups] of Object.entries(p.handChecked)) {
        for (const [group, dates] of Object.entries(groups)) {
          const of = cycles.filter((c) => c.planKey === plan && (c.occurrence?.groupKey ?? '') === group && c.startOn < '2028-01-01').map((c) => c.startOn);
          expect(of, `${plan} ${group}`).toEqual(dates);
        }
      }
      expect(cycles.some((c) => c.planKey === p.skip.plan && c.startOn === p.skip.date)).toBe(false);
      const skipped = await bot.db.planOccurrence.findFirstOrThrow({ where: { planKey: p.skip.plan, occursOn: p.skip.date } });
      expect(skipped.status).toBe('skipped');

      const occurrences = await bot.db.planOccurrence.findMany({ where: { status: 'started' } });
      expect(occurrences.length).toBe(planned.length);
      // Each at the start time written down before the year began (not re-planned on the way, e.g. by the restart).
      const plannedStart = new Map(planned.map((o) => [keyOf({ ...o, date: o.occursOn }), o.startsAt.toISOString()]));
      for (const o of occurrences) {
        const key = keyOf({ ...o, date: o.occursOn });
        expect(o.startedAt?.toISOString(), key).toBe(plannedStart.get(key));
      }
      expect(await bot.db.auditEvent.count({ where: { action: 'cycle.occurrence.started-late' } })).toBe(0);
      // Nothing due by the end of the year was left unstarted.
      expect(await bot.db.planOccurrence.count({ where: { status: 'planned', startsAt: { lte: end.toJSDate() } } })).toBe(0);
    }, 60_000);

    it('marked every stage due in the year done on its day: nothing left open, no stage ever overdue', async () => {
      expect(figures.stagesMarkedDone).toBeGreaterThan(0);
      const late = await bot.db.cycleStage.findMany({ where: { dueOn: { lte: '2027-12-31' }, status: { notIn: ['done'] } }, select: { key: true, dueOn: true, status: true } });
      expect(late).toEqual([]);
      const reminders = (await bot.db.auditEvent.findMany({ where: { action: 'cycle.reminder.sent' } })).map((e) => (e.data as { kind: string }).kind);
      expect(reminders).toContain('opened');
      expect(reminders.filter((k) => k !== 'opened' && k !== 'before' && k !== 'due')).toEqual([]);
      // Every reminder went out on a working day.
      const days = (await bot.db.auditEvent.findMany({ where: { action: { in: ['cycle.reminder.sent', 'cycle.return.reminder.sent'] } } }))
        .map((e) => DateTime.fromISO((e.data as { at: string }).at, { zone: 'Europe/London' }));
      expect(days.filter((d) => d.weekday > 5 || bankHolidays.has(d.toISODate()!)).map((d) => d.toISO())).toEqual([]);
    }, 60_000);

    it('chased the silent agency on its own: its leads, then its representative, then the stage owner; nobody else', async () => {
      const returns = await bot.db.stageReturn.findMany({ include: { agency: true, stage: { include: { cycle: true } } } });
      if (returnsPlans.length === 0) {
        console.log(`year of ${p.name}: no recurring plan in the partnership file asks for per-agency returns`);
        expect(returns).toHaveLength(0);
        return;
      }
      await outboxDrained(bot, 100_000, { reconcileEveryMs: 20_000 });
      const agency = await bot.db.agency.findFirstOrThrow({ where: { key: p.silentAgency }, include: { roles: { where: { active: true }, include: { member: true } } } });
      const silent = returns.filter((r) => r.agencyId === agency.id);
      expect(silent.length).toBeGreaterThan(0);
      const leads = agency.roles.filter((r) => r.role === 'agency_lead').map((r) => r.member);
      const signatories = agency.roles.filter((r) => r.role === 'signatory').map((r) => r.member);
      const representatives = signatories.length > 0 ? signatories
        : (await bot.db.member.findMany({ where: { agencyId: agency.id, active: true, roles: { some: { role: 'partner_lead', active: true } } } }));
      expect(leads.length).toBeGreaterThan(0);
      expect(representatives.length).toBeGreaterThan(0);

      const reachable = await bot.db.member.findMany({ where: { teamsAadObjectId: { not: null } } });
      for (const ret of silent) {
        // Stages that closed by the end of the year: the ladder ran to the owner and the stage was closed with it missing.
        if (ret.stage.status !== 'done') continue;
        expect(ret.status).toBe('missing');
        const steps = (await bot.db.auditEvent.findMany({ where: { action: 'cycle.return.reminder.sent', subjectId: ret.id }, orderBy: { id: 'asc' } }))
          .map((e) => e.data as { kind: string; audience: string; recipients: number });
        const kinds = steps.map((s) => s.kind);
        expect(kinds[0]).toBe('opened');
        expect(kinds).toContain('overdue');
        expect(kinds.indexOf('escalate-representative')).toBeGreaterThan(kinds.indexOf('overdue'));
        expect(kinds.indexOf('escalate-owner')).toBeGreaterThan(kinds.indexOf('escalate-representative'));
        expect(steps.find((s) => s.kind === 'escalate-representative')).toMatchObject({ audience: 'representative', recipients: representatives.length });
        expect(steps.find((s) => s.kind === 'escalate-owner')).toMatchObject({ audience: 'owner', recipients: 1 });
        expect(steps.filter((s) => s.kind === 'overdue').every((s) => s.audience === 'leads' && s.recipients === leads.length)).toBe(true);

        const about = `${agency.name}'s return for ${ret.stage.name}`;
        const cycleLine = `#${ret.stage.cycle.number} ${ret.stage.cycle.title}`;
        const read = (aad: string) => cardsReadBy(bot, aad).filter((c) => c.includes(about) && c.includes(cycleLine));
        const chasers = kinds.filter((k) => k === 'overdue').length;
        for (const lead of leads.filter((m) => m.teamsAadObjectId)) {
          expect(read(lead.teamsAadObjectId!).filter((c) => c.includes(`Overdue: ${about}`)), lead.displayName).toHaveLength(chasers);
        }
        for (const rep of representatives.filter((m) => m.teamsAadObjectId)) {
          expect(read(rep.teamsAadObjectId!).filter((c) => c.includes(`Escalation: ${about}`)), rep.displayName).toHaveLength(1);
        }
        // The stage owner: the chair of the group that owns the stage.
        const owner = (ret.stage.cycle.plan as { stages: { key: string; owner: { group?: string } }[] }).stages.find((s) => s.key === ret.stage.key)!.owner;
        expect(owner.group, 'a stage owned by a group').toBeDefined();
        const chair = await bot.db.groupMembership.findFirstOrThrow({ where: { position: 'chair', active: true, group: { key: owner.group, partnershipId: agency.partnershipId } }, include: { member: true } });
        const owners = reachable.filter((m) => read(m.teamsAadObjectId!).some((c) => c.includes(`Escalation to the stage owner: ${about}`)));
        expect(owners.map((m) => m.key), 'the stage owner').toEqual([chair.member.key]);
        // Nobody outside the agency's leads, its representative and the stage owner read anything about its return.
        const allowed = new Set([...leads, ...representatives, ...owners].map((m) => m.id));
        const others = reachable.filter((m) => !allowed.has(m.id) && read(m.teamsAadObjectId!).length > 0);
        expect(others.map((m) => m.key), `others told about ${about}`).toEqual([]);
      }
      // Every recurring plan with returns had at least one stage closed in the year with the silent agency missing.
      const closed = new Set(silent.filter((r) => r.stage.status === 'done').map((r) => r.stage.cycle.planKey));
      expect([...closed].sort()).toEqual([...returnsPlans].sort());
    }, 120_000);
  });
}
