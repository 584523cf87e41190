import { Badge, makeStyles, Text, tokens } from '@fluentui/react-components';
import type { FluentIcon } from '@fluentui/react-icons';
import { useId, type ReactNode } from 'react';

const useStyles = makeStyles({
  root: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: tokens.spacingHorizontalXL,
    alignItems: 'start',
    maxWidth: '760px',
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow2,
  },
  iconWell: {
    display: 'grid',
    placeItems: 'center',
    width: '48px',
    height: '48px',
    borderRadius: tokens.borderRadiusCircular,
    backgroundColor: tokens.colorBrandBackground2,
    color: tokens.colorBrandForeground2,
    fontSize: '24px',
  },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  titleRow: { display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  heading: {
    margin: 0,
    fontSize: tokens.fontSizeBase500,
    lineHeight: tokens.lineHeightBase500,
    fontWeight: tokens.fontWeightSemibold,
  },
  paragraph: { margin: 0 },
  list: {
    margin: 0,
    paddingInlineStart: tokens.spacingHorizontalXL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
  },
  listHeading: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
});

export interface EmptyStateProps {
  icon: FluentIcon;
  /** What will fill this space, said plainly ("Migration progress appears here once roster sync lands."). */
  heading: string;
  /** Why it is empty today. */
  children: ReactNode;
  /** What the finished page will let the operator do. */
  plans: readonly string[];
  footer?: ReactNode;
}

/** The honest placeholder for a page whose feature has not landed: no sample numbers, no fake rows. */
export function EmptyState({ icon: Icon, heading, children, plans, footer }: EmptyStateProps) {
  const styles = useStyles();
  const headingId = useId();
  return (
    <section className={styles.root} aria-labelledby={headingId}>
      <div className={styles.iconWell} aria-hidden="true">
        <Icon />
      </div>
      <div className={styles.body}>
        <div className={styles.titleRow}>
          <h2 id={headingId} className={styles.heading}>
            {heading}
          </h2>
          <Badge appearance="tint" color="informative" shape="rounded">
            Not built yet
          </Badge>
        </div>
        <Text as="p" block className={styles.paragraph}>
          {children}
        </Text>
        <h3 className={styles.listHeading}>When it is ready, this page will</h3>
        <ul className={styles.list}>
          {plans.map((plan) => (
            <li key={plan}>
              <Text>{plan}</Text>
            </li>
          ))}
        </ul>
        {footer}
      </div>
    </section>
  );
}
