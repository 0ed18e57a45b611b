import type { Redis } from 'ioredis';

/** Outbound rate limit per Slack workspace or Teams tenant (the rate key). */
export interface RateLimiter {
  /** Takes a token for `key`. Returns 0 when the caller may send now, else how many ms to wait before trying again. */
  reserve(key: string): Promise<number>;
  /** The platform said 429: nobody sends on `key` for `ms`. */
  pause(key: string, ms: number): Promise<void>;
}

export interface BucketPolicy {
  capacity: number;
  refillPerSecond: number;
}

/**
 * Defaults, a little under the platforms' published limits: Slack's chat.postMessage allows about one message a
 * second per channel with short bursts and Tier 3 methods ~50 a minute per workspace; Teams allows ~7 messages a
 * second per conversation and a few thousand a minute per tenant.
 */
export const defaultPolicies: Record<'slack' | 'teams', BucketPolicy> = {
  slack: { capacity: 20, refillPerSecond: 1 },
  teams: { capacity: 50, refillPerSecond: 10 },
};

export function policyFor(key: string, policies = defaultPolicies): BucketPolicy {
  return key.startsWith('teams:') ? policies.teams : policies.slack;
}

// KEYS[1] bucket hash, KEYS[2] pause key; ARGV capacity, refill per second. Uses Redis' clock so every worker agrees.
const reserveScript = `
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return paused end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2]) / 1000
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or capacity
local at = tonumber(b[2]) or now
tokens = math.min(capacity, tokens + (now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate) + 1000)
return wait
`;

/** A token bucket per rate key in Redis, shared by every delivery worker process. */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'pbot:rate',
    private readonly policies = defaultPolicies,
  ) {}

  async reserve(key: string): Promise<number> {
    const policy = policyFor(key, this.policies);
    const wait = await this.redis.eval(reserveScript, 2, `${this.prefix}:${key}`, `${this.prefix}:${key}:paused`, policy.capacity, policy.refillPerSecond);
    return Number(wait);
  }

  async pause(key: string, ms: number): Promise<void> {
    await this.redis.set(`${this.prefix}:${key}:paused`, '1', 'PX', Math.max(1, Math.ceil(ms)));
  }
}

/** The same bucket in process memory, for the single-process demo on the PostgreSQL queue backend. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly pausedUntil = new Map<string, number>();

  constructor(
    private readonly policies = defaultPolicies,
    private readonly now: () => number = Date.now,
  ) {}

  async reserve(key: string): Promise<number> {
    const now = this.now();
    const paused = (this.pausedUntil.get(key) ?? 0) - now;
    if (paused > 0) return paused;
    const policy = policyFor(key, this.policies);
    const rate = policy.refillPerSecond / 1000;
    const bucket = this.buckets.get(key) ?? { tokens: policy.capacity, at: now };
    bucket.tokens = Math.min(policy.capacity, bucket.tokens + (now - bucket.at) * rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / rate);
  }

  async pause(key: string, ms: number): Promise<void> {
    this.pausedUntil.set(key, this.now() + ms);
  }
}
