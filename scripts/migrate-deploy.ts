// `npm run migrate:deploy`: applies pending prisma/migrations to DATABASE_URL (the app also does this at start).
import { applyMigrations } from '../src/store/migrations.js';

const connectionString = process.env.DATABASE_URL;
if (!connectionString) {
  console.error('DATABASE_URL is not set.');
  process.exit(1);
}

try {
  const { applied } = await applyMigrations(connectionString, { log: (msg) => console.log(msg) });
  console.log(applied.length ? `Applied ${applied.length} migration(s).` : 'Nothing to apply.');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
