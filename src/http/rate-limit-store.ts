import { createHash } from 'node:crypto';
import type { Store } from 'express-rate-limit';
import IORedis, { type Redis } from 'ioredis';
import { RedisStore } from 'rate-limit-redis';
import type { Logger } from '../logger';

/**
 * Where the rate limiters keep their counts: in each process's memory (one API process, or no Redis),
 * or in Redis, so N API processes together keep the configured limits instead of N times them.
 */
export interface RateLimitCounters {
  readonly kind: 'memory' | 'redis';
  /** A store for one limiter (each limiter counts under its own key prefix); undefined = in memory. */
  store(limiter: string): Store | undefined;
  close(): Promise<void>;
}

export const inMemoryCounters: RateLimitCounters = { kind: 'memory', store: () => undefined, close: async () => undefined };

/**
 * Counters in Redis through rate-limit-redis. The connection fails fast while Redis is away (no offline
 * queue), and the limiters let requests through on a store error (`passOnStoreError`): an outage of
 * Redis must not stop officers from working, and passwords are still argon2-hashed.
 *
 * rate-limit-redis loads its Lua scripts once (SCRIPT LOAD) and keeps a failed load forever; so a
 * process that started while Redis was down would never count. Here SCRIPT LOAD is answered locally
 * (the SHA-1 Redis would return) and an EVALSHA that Redis does not know yet is sent once as EVAL,
 * which also caches the script in Redis.
 */
export function redisCounters(redisUrl: string, prefix: string, logger: Logger): RateLimitCounters {
  const client: Redis = new IORedis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  client.on('error', (error) => logger.warn({ err: error }, 'rate-limit redis connection error'));
  const scripts = new Map<string, string>();

  const sendCommand = async (command: string, ...args: string[]) => {
    if (command === 'SCRIPT' && args[0] === 'LOAD' && args[1] !== undefined) {
      const sha = createHash('sha1').update(args[1]).digest('hex');
      scripts.set(sha, args[1]);
      return sha;
    }
    if (command === 'EVALSHA' && args[0] !== undefined) {
      try {
        return (await client.call(command, ...args)) as string | number;
      } catch (error) {
        const script = scripts.get(args[0]);
        if (!script || !/NOSCRIPT/.test(String(error))) throw error;
        return (await client.call('EVAL', script, ...args.slice(1))) as string | number;
      }
    }
    return (await client.call(command, ...args)) as string | number;
  };

  return {
    kind: 'redis',
    store: (limiter) => new RedisStore({ sendCommand, prefix: `${prefix}:rl:${limiter}:` }),
    close: async () => {
      client.disconnect();
    },
  };
}
