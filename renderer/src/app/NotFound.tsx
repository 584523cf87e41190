import { Link, Text } from '@fluentui/react-components';
import { hashFor } from './routing.ts';

export interface NotFoundProps {
  path: string;
  home: { path: string; title: string };
}

/** An unknown address says so (it may be a link from a newer version) instead of guessing. */
export function NotFound({ path, home }: NotFoundProps) {
  return (
    <Text as="p">
      This console has no page at <code>{path}</code>. It may come from a newer version or a mistyped link.{' '}
      <Link href={hashFor(home.path)}>Go to {home.title}</Link>
    </Text>
  );
}
