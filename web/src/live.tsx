/**
 * Live updates: one SDK subscription to the `node` channel while a user is logged in (the realtime
 * endpoint needs a token). Each event refreshes the cached copy of its node and marks node lists and
 * trees stale; the SDK reconnects and resumes by sequence number, so no event is lost across a
 * reconnect. The header shows the state.
 */
import type { NodeEventPayload, Subscription, SubscriptionState } from '@maestro-ci/sdk';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { client } from './api';
import { useAuth } from './auth';

export type LiveStatus = 'off' | 'connecting' | 'live' | 'reconnecting' | 'error';

interface Live {
  status: LiveStatus;
  events: number;
  last: NodeEventPayload | null;
}

const LiveContext = createContext<Live>({ status: 'off', events: 0, last: null });

function statusOf(state: SubscriptionState): LiveStatus {
  switch (state.type) {
    case 'subscribed':
    case 'resumed':
    case 'gap':
    case 'degraded':
      return 'live';
    case 'reconnecting':
      return 'reconnecting';
    case 'connecting':
      return 'connecting';
    case 'closing':
      return 'off';
    case 'closed':
      return state.error ? 'error' : 'off';
  }
}

export function LiveProvider({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const [live, setLive] = useState<Live>({ status: 'off', events: 0, last: null });
  const pending = useRef<number | null>(null);
  const userId = user?.id ?? null;

  useEffect(() => {
    if (!userId) {
      setLive({ status: 'off', events: 0, last: null });
      return;
    }
    let sub: Subscription | null = null;
    try {
      sub = client.events.subscribe({ channel: 'node', promiscuous: true, onGap: 'emit' });
    } catch {
      setLive((l) => ({ ...l, status: 'error' }));
      return;
    }
    setLive((l) => ({ ...l, status: 'connecting' }));
    const offState = sub.on('state', (state) => setLive((l) => ({ ...l, status: statusOf(state) })));
    let stopped = false;
    void (async () => {
      try {
        for await (const delivery of sub) {
          if (stopped) break;
          const payload = delivery.payload;
          setLive((l) => ({ ...l, events: l.events + 1, last: payload }));
          if (payload.id) void queryClient.invalidateQueries({ queryKey: ['node', payload.id] });
          // Lists and trees are refreshed at most once per half second, however fast events come.
          if (pending.current === null) {
            pending.current = window.setTimeout(() => {
              pending.current = null;
              void queryClient.invalidateQueries({ queryKey: ['nodes'] });
              void queryClient.invalidateQueries({ queryKey: ['tree'] });
              void queryClient.invalidateQueries({ queryKey: ['dashboard'] });
            }, 500);
          }
        }
      } catch {
        if (!stopped) setLive((l) => ({ ...l, status: 'error' }));
      }
    })();
    return () => {
      stopped = true;
      offState();
      void sub?.close({ drain: false });
    };
  }, [userId, queryClient]);

  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}

export function useLive(): Live {
  return useContext(LiveContext);
}
