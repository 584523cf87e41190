import { z } from 'zod';
import { Migration } from '../domain/platform.ts';
import { DataSource } from './app.ts';
import { method } from './define.ts';

export const migrationMethods = {
  'migration.overview': method({
    summary: "The platform's migration summary: cut-off, time zone, counts by status and by role.",
    permission: 'read',
    input: z.object({}).strict(),
    output: Migration,
  }),
  'dataSource.refresh': method({
    summary: 'Checks the data source again (reconnects if it was offline) and answers its new state.',
    permission: 'read',
    input: z.object({}).strict(),
    output: DataSource,
  }),
} as const;
