import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { hashFor } from '../app/routing.ts';
import type { PageDefinition } from '../pages/page-definition.ts';
import { shortcutLabel } from '../pages/registry.ts';

/** Below this width the navigation shrinks to an icon rail (see Shell's grid). */
export const NARROW_WINDOW = '@media (max-width: 760px)';

const useStyles = makeStyles({
  root: {
    gridArea: 'nav',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalS}`,
    backgroundColor: tokens.colorNeutralBackground2,
    borderRight: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    overflowY: 'auto',
  },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: '2px',
  },
  link: {
    position: 'relative',
    [NARROW_WINDOW]: { justifyContent: 'center', paddingInline: 0 },
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    minHeight: '40px',
    paddingInline: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    color: tokens.colorNeutralForeground2,
    textDecorationLine: 'none',
    fontSize: tokens.fontSizeBase300,
    ':hover': {
      backgroundColor: tokens.colorNeutralBackground2Hover,
      color: tokens.colorNeutralForeground2Hover,
    },
    ':active': { backgroundColor: tokens.colorNeutralBackground2Pressed },
    ':focus-visible': {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      outlineOffset: '-2px',
    },
  },
  selected: {
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    fontWeight: tokens.fontWeightSemibold,
    boxShadow: tokens.shadow2,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover, color: tokens.colorNeutralForeground1 },
    // The brand bar marks the current page without relying on colour of the text alone.
    '::before': {
      content: '""',
      position: 'absolute',
      insetInlineStart: 0,
      top: '10px',
      bottom: '10px',
      width: '3px',
      borderRadius: tokens.borderRadiusCircular,
      backgroundColor: tokens.colorCompoundBrandStroke,
    },
  },
  icon: { display: 'inline-flex', fontSize: '20px', flexShrink: 0 },
  iconSelected: { color: tokens.colorCompoundBrandForeground1 },
  label: {
    flexGrow: 1,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    // A narrow window keeps the icons; the label stays in the accessibility tree as the link's name.
    [NARROW_WINDOW]: { position: 'absolute', width: '1px', height: '1px', clip: 'rect(0 0 0 0)' },
  },
  kbd: {
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase100,
    fontWeight: tokens.fontWeightRegular,
    color: tokens.colorNeutralForeground3,
    paddingInline: tokens.spacingHorizontalXS,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusSmall,
    whiteSpace: 'nowrap',
    [NARROW_WINDOW]: { display: 'none' },
  },
  hint: {
    [NARROW_WINDOW]: { display: 'none' },
    marginTop: 'auto',
    paddingInline: tokens.spacingHorizontalM,
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground3,
  },
});

export interface NavPaneProps {
  pages: readonly PageDefinition[];
  currentPath: string;
}

/** Plain links to hash routes: back/forward, middle-click and screen-reader link lists just work. */
export function NavPane({ pages, currentPath }: NavPaneProps) {
  const styles = useStyles();
  return (
    <nav className={styles.root} aria-label="Console pages">
      <ul className={styles.list}>
        {pages.map((page, index) => {
          const selected = page.path === currentPath;
          const shortcut = shortcutLabel(index);
          const Icon = selected ? page.iconSelected : page.icon;
          return (
            <li key={page.id}>
              <a
                href={hashFor(page.path)}
                className={mergeClasses(styles.link, selected && styles.selected)}
                aria-current={selected ? 'page' : undefined}
                aria-keyshortcuts={shortcut ?? undefined}
                data-testid={`nav-${page.id}`}
              >
                <span
                  className={mergeClasses(styles.icon, selected && styles.iconSelected)}
                  aria-hidden="true"
                >
                  <Icon />
                </span>
                <span className={styles.label}>{page.navLabel}</span>
                {shortcut !== null && (
                  <kbd className={styles.kbd} aria-hidden="true">
                    {shortcut}
                  </kbd>
                )}
              </a>
            </li>
          );
        })}
      </ul>
      <p className={styles.hint}>Press Alt and a number to jump to a page.</p>
    </nav>
  );
}
