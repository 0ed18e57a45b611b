import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from './http/trust-proxy.js';

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const environmentSchema = z.object({
  // An empty value (`PORT=` in a compose file) means "use the default", not port 0.
  PORT: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce.number({ error: 'PORT must be a whole number from 0 to 65535' }).int('PORT must be a whole number from 0 to 65535').min(0, 'PORT must be a whole number from 0 to 65535').max(65535, 'PORT must be a whole number from 0 to 65535').default(3978),
  ),
  HOST: optionalText.refine((v) => v === undefined || isIP(v) !== 0 || /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(v), 'HOST must be an IP address or a host name, e.g. 0.0.0.0 (every interface) or 127.0.0.1 (this machine only)'),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const parsed = parseTrustProxy(v);
      if ('value' in parsed) return parsed.value;
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }),
  // "off" turns the loopback metrics server off; 0 picks any free port.
  METRICS_PORT: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const text = v?.trim() ?? '';
      if (text === '') return 9464;
      if (text === 'off') return undefined;
      if (/^\d{1,5}$/.test(text) && Number(text) <= 65535) return Number(text);
      ctx.addIssue({ code: 'custom', message: 'METRICS_PORT must be a port from 0 to 65535 (0 = any free port), or off' });
      return z.NEVER;
    }),
  METRICS_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 32, 'METRICS_TOKEN must be at least 32 characters (e.g. openssl rand -base64 48)'),
  DATABASE_URL: z
    .string({ error: 'DATABASE_URL is required: a PostgreSQL connection string, e.g. postgresql://postgres@127.0.0.1:5432/partnership_bot' })
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgresql://'),
  // The NOLOGIN role the app takes after connecting (prisma/migrations/*_app_role): it may not change or remove audit
  // events. "none" runs as the login user of DATABASE_URL.
  DATABASE_ROLE: z
    .string()
    .optional()
    .transform((v) => v?.trim() || 'partnership_bot_app')
    .refine((v) => /^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(v), 'DATABASE_ROLE must be a PostgreSQL role name (letters, digits, _) or none'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://')
    .default('redis://127.0.0.1:6379'),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_BOT_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith('xoxb-'), 'SLACK_BOT_TOKEN must be a bot token starting with xoxb-'),
  SLACK_API_URL: optionalText.refine((v) => v === undefined || /^https?:\/\//.test(v), 'SLACK_API_URL must be an http(s) URL'),
  MICROSOFT_APP_ID: optionalText,
  MICROSOFT_APP_PASSWORD: optionalText,
  MICROSOFT_APP_TENANT_ID: optionalText,
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  TEAMS_ALLOW_UNAUTHENTICATED: booleanFlag,
  TEAMS_OPENID_METADATA_URL: optionalText.refine((v) => v === undefined || isSecureOrLoopbackUrl(v), 'TEAMS_OPENID_METADATA_URL must be an https URL (http only for 127.0.0.1 or localhost), e.g. https://login.botframework.azure.us/v1/.well-known/openidconfiguration'),
  TEAMS_TOKEN_ISSUER: optionalText.refine((v) => v === undefined || /^https?:\/\/\S+$/.test(v), 'TEAMS_TOKEN_ISSUER must be the issuer URL Bot Framework tokens carry, e.g. https://api.botframework.us'),
  PARTNERSHIP_CONFIG: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RECONCILE_EVERY_SECONDS: z.coerce.number().int().min(5).default(300),
  RECOVER_UNANSWERED_AFTER_SECONDS: z.coerce.number().int().min(1).default(120),
  QUEUE_PREFIX: z.string().default('pbot'),
  DELIVERY_RATE_PER_SECOND: z.coerce.number().positive().optional(),
  // Retries of a delivery that fails in passing (5xx, no answer); a 429 waits without spending one. Tests shorten them.
  DELIVERY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  DELIVERY_BACKOFF_MS: z.coerce.number().int().min(10).default(2_000),
  PLATFORM_CALL_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  // How soon a delivery looks again when its destination host already has its share of sends in flight. Tests shorten it.
  DELIVERY_HOST_BUSY_RETRY_MS: z.coerce.number().int().min(10).default(1_000),
  PUBLIC_URL: optionalText.refine((v) => v === undefined || /^https?:\/\//.test(v), 'PUBLIC_URL must be an http(s) URL, e.g. https://bot.example.org'),
  FILE_LINK_SECRET: optionalText.refine((v) => v === undefined || v.length >= 32, 'FILE_LINK_SECRET must be at least 32 characters (e.g. openssl rand -base64 48)'),
});

export type Environment = z.infer<typeof environmentSchema>;

export interface SlackSettings {
  signingSecret: string;
  botToken: string;
  apiUrl?: string;
}

export interface TeamsSettings {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  /** True only when no app id is set and TEAMS_ALLOW_UNAUTHENTICATED=true (local development, tests, demo). */
  unauthenticated: boolean;
  /** Where inbound tokens' signing keys are published, instead of the public cloud's (sovereign clouds). */
  openIdMetadataUrl?: string;
  /** The issuer inbound tokens must carry, instead of the public cloud's https://api.botframework.com. */
  tokenIssuer?: string;
}

export interface AppConfig {
  port: number;
  /** The interface the public server listens on: 0.0.0.0 by default, 127.0.0.1 for the demo. */
  host: string;
  /** Which proxies' X-Forwarded-* headers to believe; false (none) by default, never `true`. */
  trustProxy: TrustProxy;
  /** The loopback-only metrics port (undefined = off). */
  metricsPort?: number;
  /** Lets a scraper holding it read /metrics on the public port too. */
  metricsToken?: string;
  databaseUrl: string;
  /** The role the app's own connections take (undefined: the login user's own rights, DATABASE_ROLE=none). */
  databaseRole?: string;
  redisUrl: string;
  slack?: SlackSettings;
  teams?: TeamsSettings;
  partnershipConfigPath?: string;
  logLevel: Environment['LOG_LEVEL'];
  reconcileEverySeconds: number;
  /** An acknowledged command or press still unanswered after this long was cut off (a crash): recovery answers it. */
  recoverUnansweredAfterSeconds: number;
  queuePrefix: string;
  /** Overrides the per-workspace/tenant delivery rate (messages a second) for both platforms, e.g. for load tests. */
  deliveryRatePerSecond?: number;
  /** How often a delivery is tried before it is a dead letter, and the first backoff (doubling each time). */
  deliveryRetry: { attempts: number; backoffMs: number };
  /** Every call to Slack or the Bot Connector gives up after this long (a retryable failure). */
  platformCallTimeoutMs: number;
  /** How soon a delivery whose destination host is full (its sends in flight at the cap) looks again. */
  deliveryHostBusyRetryMs: number;
  /** Where people reach this server from outside (calendar feed links). Default http://localhost:PORT. */
  publicUrl: string;
  /** Signs short-lived download links for files sent to Teams. Random per process when FILE_LINK_SECRET is unset. */
  fileLinkSecret: string;
  /** Why a platform is off, for the start-up log. */
  notes: string[];
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/** Reads and validates the environment. Throws ConfigurationError with one line per problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = environmentSchema.safeParse(env);
  const problems: string[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`);
  const notes: string[] = [];
  // The checks across variables run even when one variable is invalid, so a single start reports every problem.
  const e: PlatformEnvironment = parsed.success ? parsed.data : lenientPlatformEnvironment(env);

  let slack: SlackSettings | undefined;
  if (e.SLACK_SIGNING_SECRET && e.SLACK_BOT_TOKEN) {
    slack = { signingSecret: e.SLACK_SIGNING_SECRET, botToken: e.SLACK_BOT_TOKEN, apiUrl: e.SLACK_API_URL };
  } else if (e.SLACK_SIGNING_SECRET || e.SLACK_BOT_TOKEN) {
    problems.push(`${e.SLACK_SIGNING_SECRET ? 'SLACK_BOT_TOKEN' : 'SLACK_SIGNING_SECRET'}: Slack needs both SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (or neither, to turn Slack off)`);
  } else {
    notes.push('Slack is off: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN to turn it on');
  }

  let teams: TeamsSettings | undefined;
  const appType = e.MICROSOFT_APP_TYPE ?? (e.MICROSOFT_APP_TENANT_ID ? 'SingleTenant' : 'MultiTenant');
  if (e.MICROSOFT_APP_ID) {
    if (!e.MICROSOFT_APP_PASSWORD && appType !== 'UserAssignedMSI') {
      problems.push('MICROSOFT_APP_PASSWORD: required when MICROSOFT_APP_ID is set');
    }
    if (appType === 'SingleTenant' && !e.MICROSOFT_APP_TENANT_ID) {
      problems.push('MICROSOFT_APP_TENANT_ID: required for a SingleTenant bot registration');
    }
    teams = {
      appId: e.MICROSOFT_APP_ID, appPassword: e.MICROSOFT_APP_PASSWORD, tenantId: e.MICROSOFT_APP_TENANT_ID, appType, unauthenticated: false,
      openIdMetadataUrl: parsed.success ? parsed.data.TEAMS_OPENID_METADATA_URL : undefined,
      tokenIssuer: parsed.success ? parsed.data.TEAMS_TOKEN_ISSUER : undefined,
    };
  } else if (e.TEAMS_ALLOW_UNAUTHENTICATED) {
    teams = { appType, unauthenticated: true };
  } else {
    notes.push('Teams is off: set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (or TEAMS_ALLOW_UNAUTHENTICATED=true for local development only)');
  }

  if (!parsed.success || problems.length > 0) throw new ConfigurationError(problems);
  const d = parsed.data;
  if (!d.FILE_LINK_SECRET) {
    notes.push('FILE_LINK_SECRET is not set: file download links use a random secret that dies with this process (set it when running separate web and worker processes, or links from one will not open on the other)');
  }
  return {
    port: d.PORT,
    host: d.HOST ?? '0.0.0.0',
    trustProxy: d.TRUST_PROXY,
    metricsPort: d.METRICS_PORT,
    metricsToken: d.METRICS_TOKEN,
    databaseUrl: d.DATABASE_URL,
    databaseRole: d.DATABASE_ROLE === 'none' ? undefined : d.DATABASE_ROLE,
    redisUrl: d.REDIS_URL,
    slack,
    teams,
    partnershipConfigPath: d.PARTNERSHIP_CONFIG,
    logLevel: d.LOG_LEVEL,
    reconcileEverySeconds: d.RECONCILE_EVERY_SECONDS,
    recoverUnansweredAfterSeconds: d.RECOVER_UNANSWERED_AFTER_SECONDS,
    queuePrefix: d.QUEUE_PREFIX,
    deliveryRatePerSecond: d.DELIVERY_RATE_PER_SECOND,
    deliveryRetry: { attempts: d.DELIVERY_ATTEMPTS, backoffMs: d.DELIVERY_BACKOFF_MS },
    platformCallTimeoutMs: d.PLATFORM_CALL_TIMEOUT_MS,
    deliveryHostBusyRetryMs: d.DELIVERY_HOST_BUSY_RETRY_MS,
    publicUrl: d.PUBLIC_URL ?? `http://localhost:${d.PORT}`,
    fileLinkSecret: d.FILE_LINK_SECRET ?? randomBytes(32).toString('base64url'),
    notes,
  };
}

/** https anywhere; plain http only to this machine (a local metadata server in tests or behind a sidecar). */
function isSecureOrLoopbackUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

type PlatformEnvironment = Pick<
  Environment,
  | 'SLACK_SIGNING_SECRET' | 'SLACK_BOT_TOKEN' | 'SLACK_API_URL' | 'MICROSOFT_APP_ID' | 'MICROSOFT_APP_PASSWORD'
  | 'MICROSOFT_APP_TENANT_ID' | 'MICROSOFT_APP_TYPE' | 'TEAMS_ALLOW_UNAUTHENTICATED'
>;

/** The platform variables read as plainly as possible, for the cross-variable checks when the schema failed. */
function lenientPlatformEnvironment(env: NodeJS.ProcessEnv): PlatformEnvironment {
  const text = (name: string): string | undefined => env[name]?.trim() || undefined;
  const appType = text('MICROSOFT_APP_TYPE');
  return {
    SLACK_SIGNING_SECRET: text('SLACK_SIGNING_SECRET'),
    SLACK_BOT_TOKEN: text('SLACK_BOT_TOKEN'),
    SLACK_API_URL: text('SLACK_API_URL'),
    MICROSOFT_APP_ID: text('MICROSOFT_APP_ID'),
    MICROSOFT_APP_PASSWORD: text('MICROSOFT_APP_PASSWORD'),
    MICROSOFT_APP_TENANT_ID: text('MICROSOFT_APP_TENANT_ID'),
    MICROSOFT_APP_TYPE: appType === 'MultiTenant' || appType === 'SingleTenant' || appType === 'UserAssignedMSI' ? appType : undefined,
    TEAMS_ALLOW_UNAUTHENTICATED: ['true', '1', 'yes'].includes(text('TEAMS_ALLOW_UNAUTHENTICATED') ?? ''),
  };
}
