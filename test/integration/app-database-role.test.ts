// The bot's own connections run as a role that may add audit events but never change or remove them: the database
// refuses for want of rights (permission denied), before the append-only trigger is even reached.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDatabase } from '../../src/store/database-check.js';
import { applyMigrations } from '../../src/store/migrations.js';
import { startBot, type BotHarness } from '../support/bot-harness.js';
import { adminDatabaseUrl } from '../support/database.js';

let bot: BotHarness;

beforeAll(async () => {
  bot = await startBot({ partnership: null, slack: false, teams: false });
});
afterAll(async () => {
  await bot?.stop();
});

const permissionDenied = /permission denied for table AuditEvent/;

async function asOwner<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: bot.database.url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

describe("the app's database role", () => {
  it('is who the bot runs as, not the login user', async () => {
    const [who] = await bot.db.$queryRaw<{ current_user: string; session_user: string }[]>`SELECT current_user, session_user`;
    expect(who?.current_user).toBe('partnership_bot_app');
    expect(who?.session_user).toBe('postgres');
  });

  it('adds audit events and reads them, but cannot update, delete or truncate them', async () => {
    await bot.db.auditEvent.create({ data: { actor: 'test', action: 'created', subjectType: 'Thing', subjectId: '1' } });
    expect(await bot.db.auditEvent.count({ where: { subjectType: 'Thing' } })).toBe(1);

    await expect(bot.db.auditEvent.updateMany({ where: { subjectType: 'Thing' }, data: { action: 'forged' } })).rejects.toThrow(permissionDenied);
    await expect(bot.db.auditEvent.deleteMany({ where: { subjectType: 'Thing' } })).rejects.toThrow(permissionDenied);
    await expect(bot.db.$executeRawUnsafe(`UPDATE "AuditEvent" SET action = 'forged'`)).rejects.toThrow(permissionDenied);
    await expect(bot.db.$executeRawUnsafe(`DELETE FROM "AuditEvent"`)).rejects.toThrow(permissionDenied);
    await expect(bot.db.$executeRawUnsafe(`TRUNCATE "AuditEvent"`)).rejects.toThrow(permissionDenied);

    const rows = await asOwner(async (c) => (await c.query(`SELECT action FROM "AuditEvent" WHERE "subjectType" = 'Thing'`)).rows);
    expect(rows).toEqual([{ action: 'created' }]);
  });

  it('reads and writes the other tables, and may not alter the schema or its migration history', async () => {
    await bot.db.calendarFeed.findMany();
    await expect(bot.db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`)).rejects.toThrow(/must be owner/);
    await expect(bot.db.$executeRawUnsafe(`DELETE FROM "_prisma_migrations"`)).rejects.toThrow(/permission denied/);
    // A table a later migration adds is the role's to use too (default privileges of the migrating user).
    await asOwner((c) => c.query('CREATE TABLE "LaterTable" (id serial PRIMARY KEY, note text)'));
    expect(await bot.db.$executeRawUnsafe(`INSERT INTO "LaterTable" (note) VALUES ('x')`)).toBe(1);
    expect(await bot.db.$executeRawUnsafe(`DELETE FROM "LaterTable"`)).toBe(1);
  });

  it('is left out by a login user who may not create roles: the migrations still run, and start-up says how to add it', async () => {
    const owner = `pbot_owner_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminDatabaseUrl });
    await admin.connect();
    await admin.query(`CREATE ROLE ${owner} LOGIN`);
    await admin.query(`CREATE DATABASE ${owner} OWNER ${owner}`);
    try {
      const url = new URL(adminDatabaseUrl);
      url.username = owner;
      url.pathname = `/${owner}`;
      expect((await applyMigrations(url.toString())).applied.length).toBeGreaterThan(0);
      await expect(checkDatabase(url.toString(), 10_000, 'partnership_bot_app')).rejects.toThrow(`GRANT partnership_bot_app TO ${owner}`);
      await expect(checkDatabase(url.toString(), 10_000, undefined)).resolves.toBeUndefined();
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${owner} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${owner}`);
      await admin.end();
    }
  }, 30_000);
});
