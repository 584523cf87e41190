import { makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import { AppHeader } from '../components/AppHeader.tsx';
import { CommandPalette } from '../components/CommandPalette.tsx';
import { NARROW_WINDOW, NavPane } from '../components/NavPane.tsx';
import { NoticeArea } from '../components/NoticeArea.tsx';
import { SkipLink } from '../components/SkipLink.tsx';
import { StatusBar } from '../components/StatusBar.tsx';
import type { PageDefinition } from '../pages/page-definition.ts';
import { UserDetailHost } from '../pages/users/UserDetailHost.tsx';
import { useAppInfoStore } from '../state/app-info-store.ts';
import { replaceRoute, startHashSync, useRouteStore } from '../state/route-store.ts';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { LoadProblems } from './LoadProblems.tsx';
import { NotFound } from './NotFound.tsx';
import { PageFrame } from './PageFrame.tsx';
import { documentTitle, FALLBACK_PRODUCT_NAME } from './product.ts';
import { matchRoute } from './routing.ts';
import { usePageShortcuts } from './use-page-shortcuts.ts';

const useStyles = makeStyles({
  root: {
    display: 'grid',
    height: '100%',
    gridTemplateColumns: '232px minmax(0, 1fr)',
    gridTemplateRows: 'auto minmax(0, 1fr) auto',
    gridTemplateAreas: '"header header" "nav main" "status status"',
    [NARROW_WINDOW]: { gridTemplateColumns: '64px minmax(0, 1fr)' },
  },
  main: {
    gridArea: 'main',
    overflowY: 'auto',
  },
  notices: {
    ':empty': { display: 'none' },
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
});

export interface ShellProps {
  pages: readonly PageDefinition[];
}

/** Header, navigation, the current page and the status bar; the page comes from the hash route. */
export function Shell({ pages }: ShellProps) {
  const styles = useStyles();
  const path = useRouteStore((s) => s.path);
  const navigations = useRouteStore((s) => s.navigations);
  const info = useAppInfoStore((s) => s.info);
  const dataSource = useAppInfoStore((s) => s.dataSource);
  const infoError = useAppInfoStore((s) => s.error);
  const headingRef = useRef<HTMLHeadingElement>(null);

  usePageShortcuts(pages);
  useEffect(() => startHashSync(), []);

  const match = matchRoute(path, pages);
  const productName = info?.productName ?? FALLBACK_PRODUCT_NAME;
  const page = match.kind === 'not-found' ? null : match.page;
  const title = page?.title ?? 'Page not found';

  const redirectTo = match.kind === 'redirect' ? match.page.path : null;
  useEffect(() => {
    if (redirectTo !== null) replaceRoute(redirectTo);
  }, [redirectTo]);

  useEffect(() => {
    document.title = documentTitle(title, productName);
  }, [title, productName]);

  // After a navigation (not the first paint) focus goes to the new page's heading, so keyboard
  // and screen-reader users start reading the page they asked for.
  useEffect(() => {
    if (navigations > 0) headingRef.current?.focus();
  }, [navigations]);

  const home = pages[0];
  return (
    <div className={styles.root}>
      <SkipLink onSkip={() => headingRef.current?.focus()} />
      <AppHeader
        productName={productName}
        version={info?.version ?? null}
        dataSourceKind={dataSource?.kind ?? null}
      />
      <NavPane pages={pages} currentPath={page?.path ?? path} />
      <main id="main-content" className={styles.main}>
        <PageFrame
          ref={headingRef}
          title={title}
          summary={page?.summary ?? 'The address does not match any page.'}
        >
          <div className={styles.notices}>
            <LoadProblems />
          </div>
          {/* Floats over the page (in a portal), outside the notices slot so it never shifts the page. */}
          <NoticeArea />
          <ErrorBoundary key={page?.id ?? 'not-found'} scope="This page">
            {page ? <page.Component /> : home && <NotFound path={path} home={home} />}
          </ErrorBoundary>
        </PageFrame>
      </main>
      <StatusBar dataSource={dataSource} problem={infoError} />
      <CommandPalette />
      <UserDetailHost />
    </div>
  );
}
