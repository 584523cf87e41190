import { create } from 'zustand';
import type {
  AudienceSummary,
  MailExportResult,
  MailPreview,
  TemplateSummary,
} from '../../../../shared/contract/index.ts';
import { DEFAULT_AUDIENCE_FILTER } from '../../../../shared/contract/mail.ts';
import type { RosterFilter } from '../../../../shared/contract/roster-query.ts';
import { splitPastedTemplate } from '../../../../shared/mail/template.ts';
import type { ConsoleClient } from '../../api/client.ts';
import { errorMessage } from '../../format/errors.ts';

export type PreviewView = 'desktop' | 'mobile' | 'text' | 'headers';

export interface Draft {
  templateId: string | null;
  templateVersion: number | null;
  builtIn: boolean;
  name: string;
  subject: string;
  body: string;
}

export interface Overrides {
  university: string;
  cutoffDate: string;
  fallbackFirstName: string;
}

interface AnnouncementState {
  templates: TemplateSummary[];
  draft: Draft;
  /** True when the draft differs from what was loaded or saved. */
  dirty: boolean;
  overrides: Overrides;
  filter: RosterFilter;
  suppressed: string;
  previewUserId: string | null;
  /** The sender written into each message (export and preview alike). */
  from: { name: string; address: string };
  view: PreviewView;
  preview: MailPreview | null;
  previewError: string | null;
  audience: AudienceSummary | null;
  audienceError: string | null;
  lastExport: MailExportResult | null;
  setDraft(change: Partial<Draft>): void;
  /** A body pasted with a first line "Subject: …" fills the subject too. */
  setBody(body: string): void;
  setOverrides(change: Partial<Overrides>): void;
  setFilter(filter: RosterFilter): void;
  setSuppressed(text: string): void;
  setPreviewUserId(userId: string | null): void;
  setFrom(change: Partial<{ name: string; address: string }>): void;
  setView(view: PreviewView): void;
  loadTemplates(client: ConsoleClient): Promise<void>;
  openTemplate(client: ConsoleClient, id: string): Promise<void>;
  refreshPreview(client: ConsoleClient): Promise<void>;
  refreshAudience(client: ConsoleClient): Promise<void>;
  setLastExport(result: MailExportResult | null): void;
}

/** What a delivery or reminder reads of the page's state. */
export type AnnouncementStateSnapshot = Pick<
  AnnouncementState,
  'draft' | 'dirty' | 'overrides' | 'filter' | 'suppressed'
>;

export function overridesInput(overrides: Overrides) {
  return {
    ...(overrides.university.trim() === '' ? {} : { university: overrides.university.trim() }),
    ...(overrides.cutoffDate === '' ? {} : { cutoffAt: overrides.cutoffDate }),
    ...(overrides.fallbackFirstName.trim() === ''
      ? {}
      : { fallbackFirstName: overrides.fallbackFirstName.trim() }),
  };
}

/** The sender when its address looks complete (the preview follows typing; the contract checks it). */
export function senderInput(from: { name: string; address: string }) {
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(from.address.trim())
    ? { name: from.name.trim(), address: from.address.trim() }
    : null;
}

export function suppressedList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .slice(0, 20_000);
}

/**
 * The message and audience as the page holds them, in the shape export, delivery and reminders
 * send: an edited template goes as text only (its id and version name the saved one it no longer is).
 */
export function composedMessage(state: AnnouncementStateSnapshot) {
  const { draft, dirty, overrides, filter, suppressed } = state;
  return {
    template: {
      subject: draft.subject,
      body: draft.body,
      name: draft.name,
      templateId: dirty ? null : draft.templateId,
      templateVersion: dirty ? null : draft.templateVersion,
    },
    overrides: overridesInput(overrides),
    audience: { filter, suppressed: suppressedList(suppressed) },
  };
}

let previewGeneration = 0;
let audienceGeneration = 0;

export const useAnnouncementStore = create<AnnouncementState>()((set, get) => ({
  templates: [],
  draft: {
    templateId: null,
    templateVersion: null,
    builtIn: false,
    name: 'New announcement',
    subject: '',
    body: '',
  },
  dirty: false,
  overrides: { university: '', cutoffDate: '', fallbackFirstName: '' },
  filter: { status: [...DEFAULT_AUDIENCE_FILTER.status] },
  suppressed: '',
  previewUserId: null,
  from: { name: '', address: '' },
  view: 'desktop',
  preview: null,
  previewError: null,
  audience: null,
  audienceError: null,
  lastExport: null,
  setDraft: (change) => set((s) => ({ draft: { ...s.draft, ...change }, dirty: true })),
  setBody: (body) => {
    const pasted = splitPastedTemplate(body);
    set((s) => ({
      draft:
        pasted.subject === null
          ? { ...s.draft, body }
          : { ...s.draft, subject: pasted.subject, body: pasted.body },
      dirty: true,
    }));
  },
  setOverrides: (change) => set((s) => ({ overrides: { ...s.overrides, ...change } })),
  setFilter: (filter) => set({ filter }),
  setSuppressed: (suppressed) => set({ suppressed }),
  setPreviewUserId: (previewUserId) => set({ previewUserId }),
  setFrom: (change) => set((s) => ({ from: { ...s.from, ...change } })),
  setView: (view) => set({ view }),
  setLastExport: (lastExport) => set({ lastExport }),
  loadTemplates: async (client) => {
    const { templates } = await client.mail.templates({});
    set({ templates });
    if (get().draft.templateId === null && get().draft.body === '' && templates[0] !== undefined)
      await get().openTemplate(client, templates[0].id);
  },
  openTemplate: async (client, id) => {
    const template = await client.mail.template({ id });
    set({
      draft: {
        templateId: template.id,
        templateVersion: template.shownVersion,
        builtIn: template.builtIn,
        name: template.name,
        subject: template.subject,
        body: template.body,
      },
      dirty: false,
    });
  },
  refreshPreview: async (client) => {
    const mine = (previewGeneration += 1);
    const { draft, overrides, previewUserId, from } = get();
    try {
      const preview = await client.mail.preview({
        template: { subject: draft.subject, body: draft.body },
        overrides: overridesInput(overrides),
        userId: previewUserId,
        from: senderInput(from),
      });
      if (mine === previewGeneration) set({ preview, previewError: null });
    } catch (error) {
      if (mine === previewGeneration) set({ previewError: errorMessage(error) });
    }
  },
  refreshAudience: async (client) => {
    const mine = (audienceGeneration += 1);
    const { filter, suppressed } = get();
    try {
      const audience = await client.mail.audience({ filter, suppressed: suppressedList(suppressed) });
      if (mine === audienceGeneration) set({ audience, audienceError: null });
    } catch (error) {
      if (mine === audienceGeneration) set({ audienceError: errorMessage(error) });
    }
  },
}));
