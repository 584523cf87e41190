import { createContext, useContext } from 'react';
import type { ConsoleClient } from '../api/client.ts';

/** The contract client, handed down from main.tsx so tests can pass their own transport. */
export const ClientContext = createContext<ConsoleClient | null>(null);

export function useClient(): ConsoleClient {
  const client = useContext(ClientContext);
  if (client === null) throw new Error('The console client is missing: render inside <App client={…}>.');
  return client;
}
