import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useClient } from '../../app/client-context.ts';
import { errorMessage } from '../../format/errors.ts';
import { useAnnouncementStore } from './announcement-store.ts';
import { AudienceTab } from './AudienceTab.tsx';
import { ComposeTab } from './ComposeTab.tsx';
import { DeliverTab } from './DeliverTab.tsx';
import { ExportTab } from './ExportTab.tsx';
import { HistoryTab } from './HistoryTab.tsx';
import { RemindersTab } from './RemindersTab.tsx';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  tabs: {
    display: 'flex',
    gap: tokens.spacingHorizontalXS,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  selected: { borderBottom: `${tokens.strokeWidthThick} solid ${tokens.colorCompoundBrandStroke}` },
});

const TABS = [
  { value: 'compose', label: 'Compose' },
  { value: 'audience', label: 'Audience' },
  { value: 'export', label: 'Export' },
  { value: 'deliver', label: 'Send or draft' },
  { value: 'reminders', label: 'Reminders' },
  { value: 'history', label: 'History' },
] as const;
type TabName = (typeof TABS)[number]['value'];

/** Compose from a template, preview per recipient, choose the audience, send, draft or export, schedule reminders; and what was announced so far. */
export function AnnouncementsPage() {
  const styles = useStyles();
  const client = useClient();
  const [tab, setTab] = useState<TabName>('compose');
  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);
  // The WAI-ARIA tabs pattern: arrows move between tabs (and select), Home/End jump to the ends.
  const onTabKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = TABS.findIndex((t) => t.value === tab);
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % TABS.length
        : event.key === 'ArrowLeft'
          ? (index + TABS.length - 1) % TABS.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? TABS.length - 1
              : null;
    if (next === null) return;
    event.preventDefault();
    setTab(TABS[next]?.value ?? 'compose');
    tabRefs.current[next]?.focus();
  };
  const draft = useAnnouncementStore((s) => s.draft);
  const overrides = useAnnouncementStore((s) => s.overrides);
  const previewUserId = useAnnouncementStore((s) => s.previewUserId);
  const from = useAnnouncementStore((s) => s.from);

  useEffect(() => {
    const store = useAnnouncementStore.getState();
    store
      .loadTemplates(client)
      .catch((error: unknown) => useAnnouncementStore.setState({ previewError: errorMessage(error) }));
    void store.refreshAudience(client);
  }, [client]);

  // The live preview follows typing, a moment after it pauses.
  useEffect(() => {
    const timer = setTimeout(() => void useAnnouncementStore.getState().refreshPreview(client), 250);
    return () => clearTimeout(timer);
  }, [client, draft.subject, draft.body, overrides, previewUserId, from]);

  return (
    <div className={styles.root}>
      <div role="tablist" aria-label="Announcement steps" className={styles.tabs} onKeyDown={onTabKey}>
        {TABS.map((t, i) => (
          <Button
            key={t.value}
            ref={(element: HTMLButtonElement | HTMLAnchorElement | null) => {
              tabRefs.current[i] = element instanceof HTMLButtonElement ? element : null;
            }}
            role="tab"
            id={`announcements-tab-${t.value}`}
            aria-selected={tab === t.value}
            aria-controls="announcements-panel"
            tabIndex={tab === t.value ? 0 : -1}
            appearance="subtle"
            className={tab === t.value ? styles.selected : undefined}
            onClick={() => setTab(t.value)}
          >
            {t.label}
          </Button>
        ))}
      </div>
      <div role="tabpanel" id="announcements-panel" aria-labelledby={`announcements-tab-${tab}`}>
        {tab === 'compose' && <ComposeTab />}
        {tab === 'audience' && <AudienceTab />}
        {tab === 'deliver' && <DeliverTab />}
        {tab === 'reminders' && <RemindersTab />}
        {tab === 'export' && <ExportTab />}
        {tab === 'history' && <HistoryTab />}
      </div>
    </div>
  );
}
