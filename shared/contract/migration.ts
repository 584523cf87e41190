import { z } from 'zod';
import { Migration } from '../domain/platform.ts';
import { method } from './define.ts';

export const migrationMethods = {
  'migration.overview': method({
    summary: "The platform's migration summary: cut-off, time zone, counts by status and by role.",
    permission: 'read',
    input: z.object({}).strict(),
    output: Migration,
  }),
} as const;
