import { Button, makeStyles, Text, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { Selection } from '../../state/roster-selection.ts';
import { formatCount } from '../dashboard/progress.ts';

const useStyles = makeStyles({
  root: { display: 'contents' },
  muted: { color: tokens.colorNeutralForeground2 },
  actions: { display: 'inline-flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

export interface SelectionBarProps {
  selection: Selection;
  count: number;
  total: number;
  onSelectAllMatching(): void;
  onClear(): void;
  /**
   * Actions on the selected users (e.g. "Force-disconnect…"), placed after the selection's own
   * controls. A feature adds its button here without touching the rest of the bar.
   */
  actions?: ReactNode;
}

/** What is selected, and what can be done with it. Renders nothing while nothing is selected. */
export function SelectionBar({
  selection,
  count,
  total,
  onSelectAllMatching,
  onClear,
  actions,
}: SelectionBarProps) {
  const styles = useStyles();
  if (count === 0) return null;
  return (
    <div className={styles.root} data-testid="selection-bar">
      <Text className={styles.muted} data-testid="selection-count" aria-live="polite">
        {selection.kind === 'matching' || count === total
          ? `All ${formatCount(count)} matching selected`
          : `${formatCount(count)} selected`}
      </Text>
      {selection.kind === 'ids' && total > count && (
        <Button size="small" appearance="transparent" onClick={onSelectAllMatching}>
          Select all {formatCount(total)} matching
        </Button>
      )}
      <Button size="small" appearance="transparent" onClick={onClear}>
        Clear selection
      </Button>
      {actions !== undefined && <span className={styles.actions}>{actions}</span>}
    </div>
  );
}
