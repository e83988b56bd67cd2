import type { AuthChangeFeed, UserRecord } from '../storage/ports';
import { CallerCache } from './caller-cache';

class FakeFeed implements AuthChangeFeed {
  live = true;
  private listener: (userId: string | null) => void = () => undefined;
  onChange(listener: (userId: string | null) => void): void {
    this.listener = listener;
  }
  announce(userId: string | null): void {
    this.listener(userId);
  }
}

const user = (id: string): UserRecord => ({
  id, email: `${id}@example.org`, hashedPassword: 'x', isActive: true, isSuperuser: false, isVerified: true, username: id, groups: [],
});

describe('CallerCache', () => {
  it('does not keep a read that overlapped a change (it may hold the row from before)', () => {
    const feed = new FakeFeed();
    const cache = new CallerCache(feed);
    const mark = cache.mark();
    feed.announce('alice'); // committed while the lookup was reading
    cache.set('jwt:alice', { user: user('alice'), token: null }, mark);
    expect(cache.get('jwt:alice')).toBeUndefined();
  });

  it('serves nothing while the feed is not live, and forgets everything when it says so', () => {
    const feed = new FakeFeed();
    const cache = new CallerCache(feed);
    cache.set('jwt:alice', { user: user('alice'), token: null }, cache.mark());
    cache.set('jwt:bob', { user: user('bob'), token: null }, cache.mark());
    feed.announce('alice');
    expect(cache.get('jwt:alice')).toBeUndefined();
    expect(cache.get('jwt:bob')?.user.id).toBe('bob');
    feed.live = false;
    expect(cache.get('jwt:bob')).toBeUndefined();
    feed.live = true;
    feed.announce(null);
    expect(cache.get('jwt:bob')).toBeUndefined();
  });

  it('lets an entry live five minutes at most', () => {
    let now = 0;
    const cache = new CallerCache(new FakeFeed(), () => now);
    cache.set('jwt:alice', { user: user('alice'), token: null }, cache.mark());
    now = 5 * 60_000 - 1;
    expect(cache.get('jwt:alice')).toBeDefined();
    now = 5 * 60_000;
    expect(cache.get('jwt:alice')).toBeUndefined();
  });
});
