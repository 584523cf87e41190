import { z } from 'zod';
import { DataSource } from './data-source.ts';
import { event, method } from './define.ts';

export const AppInfo = z.object({
  productName: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'browser', 'cli']),
  dataSource: DataSource,
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appMethods = {
  'app.info': method({
    summary: 'Product, version, which host runs the UI and the state of the data source.',
    permission: 'read',
    input: z.object({}).strict(),
    output: AppInfo,
  }),
  'app.openExternal': method({
    summary: 'Opens an allowlisted https link in the system browser.',
    permission: 'read',
    input: z.object({ url: z.string().min(1).max(2048) }).strict(),
    output: z.object({ opened: z.boolean(), reason: z.string().max(300).nullable() }),
  }),
} as const;

export const appEvents = {
  'app.dataSource': event({
    summary: 'The data source changed state or finished a refresh.',
    payload: DataSource,
  }),
} as const;
