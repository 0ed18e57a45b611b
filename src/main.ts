import { parseArgs } from 'node:util';
import { ConfigurationError, loadConfig } from './config.js';
import { createLogger } from './core/logger.js';
import { PartnershipConfigError } from './directory/load-config.js';
import { startRuntime, type Role } from './app/runtime.js';
import { checkDatabase, DatabaseUnavailableError } from './store/database-check.js';

const { values } = parseArgs({ options: { role: { type: 'string', default: 'all' } }, allowPositionals: false });
const role = values.role as Role;
if (!['all', 'web', 'worker'].includes(role)) {
  console.error(`--role must be web, worker or all (got "${values.role}")`);
  process.exit(2);
}

try {
  const config = loadConfig();
  await checkDatabase(config.databaseUrl, undefined, config.databaseRole);
  const logger = createLogger(config.logLevel);
  const runtime = await startRuntime({ config, role, logger });
  logger.info({ role }, 'started');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  if (error instanceof ConfigurationError || error instanceof PartnershipConfigError || error instanceof DatabaseUnavailableError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
