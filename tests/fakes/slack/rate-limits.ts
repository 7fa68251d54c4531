import { createTokenBucket, type TokenBucket } from './token-bucket.js';

/** A sustained rate with a burst allowance. */
export interface BucketRate {
  burst: number;
  perSecond: number;
}

/** Slack's published Web API tiers (docs.slack.dev/apis/web-api/rate-limits). */
export type Tier = 'tier1' | 'tier2' | 'tier3' | 'tier4';

/** Per-tier budget: `perMinute` sustained, `burst` calls at once. */
export type TierBudget = Record<Tier, { perMinute: number; burst: number }>;

/**
 * Defaults follow the tier floors: Tier 1 "1+ per minute", Tier 2 "20+",
 * Tier 3 "50+", Tier 4 "100+". Slack tolerates bursts without publishing their
 * size, so the burst here is one minute's worth (a small one for Tier 1).
 */
export const DEFAULT_TIER_BUDGET: TierBudget = {
  tier1: { perMinute: 1, burst: 5 },
  tier2: { perMinute: 20, burst: 20 },
  tier3: { perMinute: 50, burst: 50 },
  tier4: { perMinute: 100, burst: 100 },
};

/** chat.postMessage: "one message per second per channel", short bursts allowed. */
export const DEFAULT_POST_RATE: BucketRate = { burst: 3, perSecond: 1 };

/**
 * Method tiers, from slackapi/java-slack-sdk `MethodsRateLimits.java` (@02a29a7).
 * auth.test has a "special" tier there; it is treated as Tier 4.
 */
export const METHOD_TIERS: Readonly<Record<string, Tier>> = {
  'apps.connections.open': 'tier1',
  'auth.test': 'tier4',
  'chat.postEphemeral': 'tier4',
  'chat.update': 'tier3',
  'conversations.history': 'tier3',
  'conversations.open': 'tier3',
  'conversations.replies': 'tier3',
  'files.completeUploadExternal': 'tier4',
  'files.getUploadURLExternal': 'tier4',
  'reactions.add': 'tier3',
  'users.info': 'tier4',
  'views.open': 'tier4',
};

/** Decides whether a call is within budget. */
export interface RateLimiter {
  /** Returns 0 when the call may proceed, else the Retry-After seconds. */
  check(method: string, args: Record<string, unknown>): number;
  reset(): void;
}

/**
 * Builds the limiter: chat.postMessage is limited per channel, every other
 * known method per method (one workspace, one app), as Slack applies tiers
 * "per API method per app per workspace".
 */
export function createRateLimiter(
  postRate: BucketRate | false,
  tierBudget: Partial<TierBudget> | false,
): RateLimiter {
  const buckets = new Map<string, TokenBucket>();
  const budget = tierBudget === false ? false : { ...DEFAULT_TIER_BUDGET, ...tierBudget };
  const bucketFor = (key: string, make: () => TokenBucket): TokenBucket => {
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = make();
      buckets.set(key, bucket);
    }
    return bucket;
  };
  return {
    check(method, args) {
      if (method === 'chat.postMessage') {
        if (postRate === false) return 0;
        const key = `post:${String(args.channel ?? '')}`;
        return bucketFor(key, () => createTokenBucket(postRate.burst, postRate.perSecond)).take();
      }
      const tier = METHOD_TIERS[method];
      if (budget === false || tier === undefined) return 0;
      const { perMinute, burst } = budget[tier];
      return bucketFor(`tier:${method}`, () => createTokenBucket(burst, perMinute / 60)).take();
    },
    reset() {
      buckets.clear();
    },
  };
}
