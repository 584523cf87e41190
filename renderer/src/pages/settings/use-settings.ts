import { useCallback, useEffect, useState } from 'react';
import { create } from 'zustand';
import { ConsoleError, Settings } from '../../../../shared/contract/index.ts';
import { useClient } from '../../app/client-context.ts';
import { errorMessage } from '../../format/errors.ts';
import type { FormOutcome } from './FormStatus.tsx';

export interface SettingsHandle {
  settings: Settings | null;
  loadError: string | null;
  /** Replaces the shown settings with what a save answered. */
  accept(next: Settings): void;
}

/** The console's settings, kept current by `settings.changed` (another window may change them). */
export function useSettings(): SettingsHandle {
  const client = useClient();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    client.settings.get({}).then(
      (value) => live && setSettings(value),
      (error: unknown) => live && setLoadError(errorMessage(error)),
    );
    const off = client.subscribe('settings.changed', (payload) => {
      const parsed = Settings.safeParse(payload);
      if (parsed.success) setSettings(parsed.data);
    });
    return () => {
      live = false;
      off();
    };
  }, [client]);
  const accept = useCallback((next: Settings) => setSettings(next), []);
  return { settings, loadError, accept };
}

export interface SaveFailure {
  message: string;
  /** Field name → what is wrong with it, from the core's zod issues. */
  fields: Record<string, string>;
}

/** A failed save, split into the message and per-field errors the form shows beside each field. */
export function saveFailure(error: unknown): SaveFailure {
  const fields: Record<string, string> = {};
  if (error instanceof ConsoleError) {
    for (const issue of error.issues ?? []) {
      const field = issue.path.split('.')[0] ?? issue.path;
      fields[field] ??= issue.message;
    }
  }
  return { message: errorMessage(error), fields };
}

export interface SettingsSave {
  /** Field name → message, shown beside each field after a failed save. */
  errors: Record<string, string>;
  outcome: FormOutcome;
  busy: boolean;
  /**
   * Runs one save: the answer replaces the shown settings and `saved` is reported; a failure is
   * split into the message and the per-field errors. Nothing typed in the form is lost either way.
   */
  run(save: () => Promise<Settings>, saved: string, afterSave?: () => void): void;
}

/**
 * The last save's outcome per form, kept outside the forms: a form keyed by the saved values
 * remounts when a save changes them, and its "Saved." must survive that (it used not to, on University).
 */
const useOutcomes = create<{ outcomes: Record<string, FormOutcome> }>()(() => ({ outcomes: {} }));
const setOutcomeOf = (form: string, outcome: FormOutcome): void =>
  useOutcomes.setState((s) => ({ outcomes: { ...s.outcomes, [form]: outcome } }));

/** Forgets every form's outcome (the Settings page does when it closes). */
export const clearSaveOutcomes = (): void => useOutcomes.setState({ outcomes: {} });

/** The save cycle every settings form shares: the same "Saved." (or the failure) under every form. */
export function useSettingsSave(accept: (next: Settings) => void, form: string): SettingsSave {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const outcome = useOutcomes((s) => s.outcomes[form] ?? null);
  const setOutcome = useCallback((next: FormOutcome) => setOutcomeOf(form, next), [form]);
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    (save: () => Promise<Settings>, saved: string, afterSave?: () => void) => {
      setBusy(true);
      save()
        .then(
          (next) => {
            accept(next);
            afterSave?.();
            setErrors({});
            setOutcome({ kind: 'saved', message: saved });
          },
          (error: unknown) => {
            const failure = saveFailure(error);
            setErrors(failure.fields);
            setOutcome({ kind: 'failed', message: failure.message });
          },
        )
        .finally(() => setBusy(false));
    },
    [accept, setOutcome],
  );
  return { errors, outcome, busy, run };
}
