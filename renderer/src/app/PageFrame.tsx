import { makeStyles, Text, tokens } from '@fluentui/react-components';
import { forwardRef, type ReactNode } from 'react';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    maxWidth: '1200px',
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXXXL}`,
    '@media (max-width: 760px)': { padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}` },
  },
  header: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: tokens.spacingVerticalXS,
  },
  heading: {
    margin: 0,
    fontSize: tokens.fontSizeBase600,
    lineHeight: tokens.lineHeightBase600,
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground1,
    // Focus lands here after every navigation; the outline shows only for keyboard users.
    ':focus': { outlineStyle: 'none' },
    ':focus-visible': {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      outlineOffset: '4px',
      borderRadius: tokens.borderRadiusSmall,
    },
  },
  summary: { margin: 0, color: tokens.colorNeutralForeground2 },
});

export interface PageFrameProps {
  title: string;
  summary: string;
  children: ReactNode;
}

/** The one h1 of every page, with the line that says what the page is for. */
export const PageFrame = forwardRef<HTMLHeadingElement, PageFrameProps>(function PageFrame(
  { title, summary, children },
  ref,
) {
  const styles = useStyles();
  return (
    <div className={styles.root}>
      <div className={styles.header}>
        <h1 id="page-heading" className={styles.heading} tabIndex={-1} ref={ref}>
          {title}
        </h1>
        <Text as="p" className={styles.summary}>
          {summary}
        </Text>
      </div>
      {children}
    </div>
  );
});
