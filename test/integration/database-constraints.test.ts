import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, defaultMigrationsDir } from '../../src/store/migrations.js';
import { createScratchDatabase, migratedDatabase, type ScratchDatabase } from '../support/database.js';

// The database itself refuses rows that cannot be true: a status no code knows, an id that points at nobody.
// Whatever a bug (or a hand-typed psql statement) tries, PostgreSQL says no.
const scratchDatabases: ScratchDatabase[] = [];
const tempDirs: string[] = [];

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

interface World { partnershipId: string; memberId: string; groupId: string; cycleId: string; stageId: string }

/** One partnership with a member, a group, a cycle and a stage: enough to point new rows at. */
async function seed(db: pg.Client): Promise<World> {
  const [partnershipId, memberId, groupId, cycleId, stageId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  await db.query(`INSERT INTO "Partnership" (id, slug, name, "updatedAt") VALUES ($1, $2, 'Test', now())`, [partnershipId, `p-${partnershipId.slice(0, 8)}`]);
  await db.query(`INSERT INTO "Member" (id, "partnershipId", key, "displayName", "updatedAt") VALUES ($1, $2, 'm', 'M', now())`, [memberId, partnershipId]);
  await db.query(`INSERT INTO "Group" (id, "partnershipId", key, name, kind, "updatedAt") VALUES ($1, $2, 'g', 'G', 'board', now())`, [groupId, partnershipId]);
  await insertCycle(db, { id: cycleId, partnershipId, number: 1 });
  await insertStage(db, { id: stageId, cycleId });
  return { partnershipId, memberId, groupId, cycleId, stageId };
}

function insertCycle(db: pg.Client, row: { id?: string; partnershipId: string; number: number; status?: string; leadMemberId?: string; createdById?: string }) {
  return db.query(
    `INSERT INTO "Cycle" (id, "partnershipId", number, "planKey", "planName", plan, title, "startOn", status, "leadMemberId", "createdById", "updatedAt")
     VALUES ($1, $2, $3, 'p', 'P', '{}', 'T', '2026-09-07', $4, $5, $6, now())`,
    [row.id ?? randomUUID(), row.partnershipId, row.number, row.status ?? 'active', row.leadMemberId ?? null, row.createdById ?? null],
  );
}

function insertStage(db: pg.Client, row: { id?: string; cycleId: string; seq?: number; status?: string; doneById?: string }) {
  return db.query(
    `INSERT INTO "CycleStage" (id, "cycleId", seq, key, name, "doneMeans", owner, "opensOn", "dueOn", "plannedDueOn", status, "doneById", reminders, "updatedAt")
     VALUES ($1, $2, $3, 's', 'S', 'd', '{}', '2026-09-07', '2026-10-07', '2026-10-07', $4, $5, '[]', now())`,
    [row.id ?? randomUUID(), row.cycleId, row.seq ?? 1, row.status ?? 'pending', row.doneById ?? null],
  );
}

afterAll(async () => {
  await Promise.all(scratchDatabases.map((database) => database.drop()));
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the database refuses impossible rows', () => {
  let db: pg.Client;
  let world: World;
  const nobody = randomUUID();

  beforeAll(async () => {
    const database = await migratedDatabase('constraints');
    scratchDatabases.push(database);
    db = await connect(database.url);
    world = await seed(db);
  });
  afterAll(async () => {
    await db?.end();
  });

  it('accepts rows that make sense (so each refusal below is about the one thing wrong)', async () => {
    await insertCycle(db, { partnershipId: world.partnershipId, number: 2, status: 'paused', leadMemberId: world.memberId, createdById: world.memberId });
    await insertStage(db, { cycleId: world.cycleId, seq: 2, status: 'done', doneById: world.memberId });
    await db.query(`INSERT INTO "ExtensionRequest" (id, "stageId", "requestedById", "proposedDueOn", reason, "approverId", status) VALUES ($1, $2, $3, '2026-10-14', 'r', $3, 'approved')`, [randomUUID(), world.stageId, world.memberId]);
    await db.query(`INSERT INTO "StageSnooze" (id, "stageId", "memberId", until) VALUES ($1, $2, $3, now())`, [randomUUID(), world.stageId, world.memberId]);
    await db.query(`INSERT INTO "CalendarFeed" (id, "tokenHash", "partnershipId", "groupId", "createdById") VALUES ($1, $2, $3, $4, $5)`, [randomUUID(), randomUUID(), world.partnershipId, world.groupId, world.memberId]);
  });

  it('refuses a status no code knows', async () => {
    await expect(insertCycle(db, { partnershipId: world.partnershipId, number: 3, status: 'archived' })).rejects.toThrow(/invalid input value for enum/);
    await expect(insertStage(db, { cycleId: world.cycleId, seq: 3, status: 'finished' })).rejects.toThrow(/invalid input value for enum/);
    await expect(
      db.query(`INSERT INTO "ExtensionRequest" (id, "stageId", "requestedById", "proposedDueOn", reason, status) VALUES ($1, $2, $3, '2026-10-14', 'r', 'maybe')`, [randomUUID(), world.stageId, world.memberId]),
    ).rejects.toThrow(/invalid input value for enum/);
    await expect(db.query(`INSERT INTO "Timer" (id, key, kind, "subjectId", "dueAt", rule, status, "updatedAt") VALUES ($1, $2, 'k', 's', now(), 'r', 'snoozed', now())`, [randomUUID(), randomUUID()])).rejects.toThrow(/invalid input value for enum/);
    await expect(
      db.query(`INSERT INTO "OutboxMessage" (id, "idempotencyKey", platform, operation, "rateKey", target, payload, status, "updatedAt") VALUES ($1, $2, 'slack', 'post', 'r', '{}', '{}', 'lost', now())`, [randomUUID(), randomUUID()]),
    ).rejects.toThrow(/invalid input value for enum/);
  });

  it('refuses an id that points at no partnership, member or group', async () => {
    const dangling = /violates foreign key constraint/;
    await expect(insertCycle(db, { partnershipId: nobody, number: 4 })).rejects.toThrow(dangling);
    await expect(insertCycle(db, { partnershipId: world.partnershipId, number: 5, leadMemberId: nobody })).rejects.toThrow(dangling);
    await expect(insertCycle(db, { partnershipId: world.partnershipId, number: 6, createdById: nobody })).rejects.toThrow(dangling);
    await expect(insertStage(db, { cycleId: world.cycleId, seq: 4, doneById: nobody })).rejects.toThrow(dangling);
    await expect(db.query(`INSERT INTO "ExtensionRequest" (id, "stageId", "requestedById", "proposedDueOn", reason) VALUES ($1, $2, $3, '2026-10-14', 'r')`, [randomUUID(), world.stageId, nobody])).rejects.toThrow(dangling);
    await expect(db.query(`INSERT INTO "ExtensionRequest" (id, "stageId", "requestedById", "proposedDueOn", reason, "approverId") VALUES ($1, $2, $3, '2026-10-14', 'r', $4)`, [randomUUID(), world.stageId, world.memberId, nobody])).rejects.toThrow(dangling);
    await expect(db.query(`INSERT INTO "StageSnooze" (id, "stageId", "memberId", until) VALUES ($1, $2, $3, now())`, [randomUUID(), world.stageId, nobody])).rejects.toThrow(dangling);
    await expect(db.query(`INSERT INTO "CalendarFeed" (id, "tokenHash", "partnershipId", "createdById") VALUES ($1, $2, $3, $4)`, [randomUUID(), randomUUID(), nobody, world.memberId])).rejects.toThrow(dangling);
    await expect(db.query(`INSERT INTO "CalendarFeed" (id, "tokenHash", "partnershipId", "groupId", "createdById") VALUES ($1, $2, $3, $4, $5)`, [randomUUID(), randomUUID(), world.partnershipId, nobody, world.memberId])).rejects.toThrow(dangling);
    await expect(db.query(`INSERT INTO "CalendarFeed" (id, "tokenHash", "partnershipId", "memberId", "createdById") VALUES ($1, $2, $3, $4, $4)`, [randomUUID(), randomUUID(), world.partnershipId, nobody])).rejects.toThrow(dangling);
    await expect(
      db.query(`INSERT INTO "FormDraft" (id, "partnershipId", "formKey", "subjectKey", "updatedById", "updatedAt") VALUES ($1, $2, 'f', 's', $3, now())`, [randomUUID(), world.partnershipId, nobody]),
    ).rejects.toThrow(dangling);
  });
});

describe('the constraints migration on a database that already has data', () => {
  /** A database migrated up to, but not including, the constraints migration, and a way to apply the rest. */
  async function beforeConstraints(): Promise<{ db: pg.Client; applyRest: () => Promise<unknown> }> {
    const names = (await readdir(defaultMigrationsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    const constraints = names.find((name) => name.endsWith('_constraints'));
    expect(constraints, 'a *_constraints migration').toBeDefined();
    const earlier = await mkdtemp(path.join(os.tmpdir(), 'constraints_'));
    tempDirs.push(earlier);
    await cp(defaultMigrationsDir, earlier, { recursive: true });
    for (const name of names.filter((n) => n >= constraints!)) await rm(path.join(earlier, name), { recursive: true });
    const database = await createScratchDatabase('constraints_upgrade');
    scratchDatabases.push(database);
    await applyMigrations(database.url, { migrationsDir: earlier });
    return { db: await connect(database.url), applyRest: () => applyMigrations(database.url) };
  }

  it('keeps every status as it was', async () => {
    const { db, applyRest } = await beforeConstraints();
    try {
      const world = await seed(db);
      await db.query(`UPDATE "Cycle" SET status = 'paused' WHERE id = $1`, [world.cycleId]);
      await db.query(`UPDATE "CycleStage" SET status = 'open' WHERE id = $1`, [world.stageId]);
      await applyRest();
      expect((await db.query(`SELECT status::text FROM "Cycle" WHERE id = $1`, [world.cycleId])).rows[0]).toEqual({ status: 'paused' });
      expect((await db.query(`SELECT status::text FROM "CycleStage" WHERE id = $1`, [world.stageId])).rows[0]).toEqual({ status: 'open' });
    } finally {
      await db.end();
    }
  });

  it('stops with a message naming the rows to repair when an id points at nobody or a status is unknown', async () => {
    const { db, applyRest } = await beforeConstraints();
    try {
      const world = await seed(db);
      await db.query(`UPDATE "Cycle" SET "leadMemberId" = $2 WHERE id = $1`, [world.cycleId, randomUUID()]);
      await db.query(`UPDATE "CycleStage" SET status = 'finished' WHERE id = $1`, [world.stageId]);
      const failure = applyRest();
      await expect(failure).rejects.toThrow(/"Cycle"\."leadMemberId": 1 row/);
      await expect(failure).rejects.toThrow(/"CycleStage"\."status": 1 row/);
      // Nothing was half-done: the old columns are still free text.
      expect((await db.query(`SELECT status FROM "CycleStage" WHERE id = $1`, [world.stageId])).rows[0]).toEqual({ status: 'finished' });
    } finally {
      await db.end();
    }
  });
});
