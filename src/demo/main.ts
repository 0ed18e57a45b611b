// `npm run demo [-- --fresh] [-- --partnership <slug>] [-- --port N] [-- --playground-port N]`
import { parseArgs } from 'node:util';
import { ConfigurationError } from '../config.js';
import { PartnershipConfigError } from '../directory/load-config.js';
import { DemoStartError } from './demo-errors.js';
import { startDemo, type Demo } from './start-demo.js';

const usage = 'Usage: npm run demo [-- --fresh] [--partnership swindon] [--port 3978] [--playground-port 56150]';

function portOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${flag} must be a port number from 0 to 65535 (0 = any free port), got "${value}"\n${usage}`);
    process.exit(2);
  }
  return port;
}

let values: { fresh?: boolean; partnership?: string; port?: string; 'playground-port'?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      fresh: { type: 'boolean' },
      partnership: { type: 'string' },
      port: { type: 'string' },
      'playground-port': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}

console.log('Starting the Partnership Bot demo (embedded PostgreSQL, the bot, the Microsoft 365 Agents Playground)...');
let demo: Demo;
try {
  demo = await startDemo({
    partnership: values.partnership,
    fresh: values.fresh,
    port: portOption(values.port, '--port'),
    playgroundPort: portOption(values['playground-port'], '--playground-port'),
    redisUrl: process.env.REDIS_URL,
    logLevel: process.env.LOG_LEVEL,
    onNote: (line) => console.log(`  ${line}`),
  });
} catch (error) {
  if (error instanceof DemoStartError || error instanceof ConfigurationError || error instanceof PartnershipConfigError) {
    console.error(`\nThe demo did not start. ${error.message}`);
    process.exit(1);
  }
  throw error;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
console.log(
  [
    '',
    `  ${demo.partnershipName}, signed in as ${demo.demoMemberName}. Ready in ${seconds(demo.timings.total)} s (PostgreSQL ${seconds(demo.timings.postgres)}, bot ${seconds(demo.timings.bot)}, Playground ${seconds(demo.timings.playground)}).`,
    '',
    `  Open ${demo.url}`,
    '',
    '  Try: help, whoami, tasks, cycle status, s11 open, demo as agency-lead, demo advance 5 working days',
    `  Data: ${demo.dataDir} (kept between runs; npm run demo -- --fresh starts over)`,
    `  Logs: ${demo.logFile}   Queues: BullMQ on ${demo.queue === 'redis' ? 'Redis' : 'the same PostgreSQL'}`,
    '  Ctrl-C stops everything.',
    '',
  ].join('\n'),
);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the Playground, the bot and PostgreSQL...`);
  const timer = setTimeout(() => {
    console.error('Still stopping after 20 s; exiting anyway.');
    process.exit(1);
  }, 20_000);
  await demo.stop();
  clearTimeout(timer);
  console.log('Stopped. npm run demo starts again where you left off.');
  process.exit(0);
}
process.on('SIGINT', () => void stop('Ctrl-C'));
process.on('SIGTERM', () => void stop('SIGTERM'));
