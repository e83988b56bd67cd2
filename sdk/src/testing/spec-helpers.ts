/**
 * Helpers of the subscriber's unit tests (not part of the published testing entry point).
 */
import type { Subscription } from '../events/subscription';
import type { SubscriptionState } from '../events/types';

/** The token the fakes accept. */
export const TOKEN = 'the-secret-token-1';

/** Resolves once `check()` holds; fails the test when it does not within `ms`. */
export async function eventually(check: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The state types the subscription goes through, recorded from now on. */
export function states(sub: Subscription): SubscriptionState['type'][] {
  const list: SubscriptionState['type'][] = [];
  sub.on('state', (s) => list.push(s.type));
  return list;
}
