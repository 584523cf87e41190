import { Link, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { RosterFilter } from '../../../../shared/contract/index.ts';
import { usersHref } from '../../state/roster-url.ts';
import { formatCount } from './progress.ts';

const useStyles = makeStyles({
  link: { fontVariantNumeric: 'tabular-nums' },
  zero: { color: tokens.colorNeutralForeground3 },
});

export interface CountLinkProps {
  value: number;
  filter: RosterFilter;
  /** What the number counts, read after it: "students still to act". */
  description: string;
  className?: string;
}

/** A number that opens the Users view filtered to exactly the users it counts. */
export function CountLink({ value, filter, description, className }: CountLinkProps) {
  const styles = useStyles();
  return (
    <Link
      href={usersHref(filter)}
      className={mergeClasses(styles.link, value === 0 && styles.zero, className)}
      aria-label={`${formatCount(value)} ${description}: show them in Users`}
      data-count={value}
    >
      {formatCount(value)}
    </Link>
  );
}
