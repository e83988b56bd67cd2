import type { User } from '@maestro-ci/sdk';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { client, getToken, onTokenChange, setToken } from './api';

interface Auth {
  token: string | null;
  user: User | null;
  loading: boolean;
  logIn(token: string): Promise<User>;
  logOut(): void;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [token, setTokenState] = useState(getToken());
  const queryClient = useQueryClient();
  useEffect(() => onTokenChange(() => setTokenState(getToken())), []);
  const whoami = useQuery({
    queryKey: ['whoami', token],
    queryFn: () => client.users.whoami(),
    enabled: token !== null,
    retry: false,
    staleTime: 60_000,
  });
  // A stored token that no longer works (revoked, expired) is dropped.
  useEffect(() => {
    if (whoami.isError) setToken(null);
  }, [whoami.isError]);
  const value: Auth = {
    token,
    user: token ? (whoami.data ?? null) : null,
    loading: token !== null && whoami.isPending,
    async logIn(candidate) {
      const previous = getToken();
      setToken(candidate);
      try {
        const user = await client.users.whoami();
        queryClient.setQueryData(['whoami', candidate], user);
        return user;
      } catch (error) {
        setToken(previous);
        throw error;
      }
    },
    logOut() {
      setToken(null);
      queryClient.removeQueries({ queryKey: ['whoami'] });
    },
  };
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}
