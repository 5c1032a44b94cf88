import { createContext, useContext, type ReactNode } from 'react';
import type { PortalClient } from './client';

const ClientContext = createContext<PortalClient | null>(null);

/** Makes client the one every component below reaches with useClient(). */
export function ClientProvider({ client, children }: { client: PortalClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): PortalClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient needs a <ClientProvider> above it');
  return client;
}
