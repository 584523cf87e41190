import { makeStyles, tokens } from '@fluentui/react-components';
import type { MouseEvent } from 'react';

const useStyles = makeStyles({
  root: {
    position: 'absolute',
    insetInlineStart: tokens.spacingHorizontalM,
    top: '-100px',
    zIndex: 100,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorBrandForegroundLink,
    border: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
    borderRadius: tokens.borderRadiusMedium,
    fontWeight: tokens.fontWeightSemibold,
    textDecorationLine: 'underline',
    ':focus': { top: tokens.spacingVerticalS },
  },
});

export interface SkipLinkProps {
  /** Called instead of following the link: `#main` would clobber the hash route. */
  onSkip: () => void;
}

/** The first Tab stop: jumps past the header and navigation to the page heading. */
export function SkipLink({ onSkip }: SkipLinkProps) {
  const styles = useStyles();
  const onClick = (event: MouseEvent<HTMLAnchorElement>): void => {
    event.preventDefault();
    onSkip();
  };
  return (
    <a className={styles.root} href="#main-content" onClick={onClick}>
      Skip to main content
    </a>
  );
}
