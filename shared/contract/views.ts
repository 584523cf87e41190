import { z } from 'zod';
import { method } from './define.ts';
import { RosterFilter, RosterSort } from './roster-query.ts';

export const SavedView = z.object({
  id: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(80),
  filter: RosterFilter,
  sort: RosterSort,
  /** Built-in views ship with the console and cannot be deleted. */
  builtIn: z.boolean(),
});
export type SavedView = z.infer<typeof SavedView>;

export const viewsMethods = {
  'views.list': method({
    summary: 'Saved views of the Users table, built-in ones first.',
    permission: 'read',
    input: z.object({}).strict(),
    output: z.array(SavedView).max(200),
  }),
  'views.save': method({
    summary: 'Saves (creates or replaces by id) a view of the Users table.',
    permission: 'change-shared',
    input: SavedView.omit({ builtIn: true, id: true })
      .extend({ id: z.string().min(1).max(64).optional() })
      .strict(),
    output: SavedView,
  }),
  'views.delete': method({
    summary: 'Deletes a saved view (built-in views cannot be deleted).',
    permission: 'change-shared',
    input: z.object({ id: z.string().min(1).max(64) }).strict(),
    output: z.object({ deleted: z.boolean() }),
  }),
} as const;
