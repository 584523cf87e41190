import { z } from 'zod';
import { method } from './define.ts';

export const DataSource = z.object({
  kind: z.enum(['demo', 'platform', 'none']),
  /** Shown in the status bar: "Demo sandbox", or the platform's host name. */
  label: z.string().max(200),
  /** ISO timestamp of the last successful refresh from the data source, null if never. */
  lastRefreshedAt: z.string().nullable(),
  state: z.enum(['starting', 'ready', 'offline', 'error']),
  detail: z.string().max(500).nullable(),
});
export type DataSource = z.infer<typeof DataSource>;

export const dataSourceMethods = {
  'dataSource.refresh': method({
    summary: 'Checks the data source again (reconnects if it was offline) and answers its new state.',
    permission: 'read',
    input: z.object({}).strict(),
    output: DataSource,
  }),
} as const;
