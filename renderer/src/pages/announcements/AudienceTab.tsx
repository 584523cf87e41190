import {
  Button,
  Checkbox,
  Field,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { ConnectionStatus, Role } from '../../../../shared/domain/platform.ts';
import { useClient } from '../../app/client-context.ts';
import { ROLE_SINGULAR, STATUS_LABEL } from '../users/labels.ts';
import { useAnnouncementStore } from './announcement-store.ts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  groups: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', gap: tokens.spacingHorizontalXXL },
  fieldset: { border: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  legend: { fontWeight: tokens.fontWeightSemibold, marginBottom: tokens.spacingVerticalXS },
  figures: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXXL, margin: 0 },
  figure: { display: 'flex', flexDirection: 'column' },
  value: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
});

const EXCLUSION: Record<string, string> = {
  'duplicate-email': 'Shares an address with another user',
  'no-email': 'No usable address',
  suppressed: 'On the suppression list',
};

/** Who the announcement goes to: statuses and roles, a suppression list, and what is held back and why. */
export function AudienceTab() {
  const styles = useStyles();
  const client = useClient();
  const { filter, suppressed, audience, audienceError } = useAnnouncementStore();
  const toggle = <T extends string>(key: 'status' | 'role', all: readonly T[], value: T, on: boolean) => {
    const current = (filter[key] as T[] | undefined) ?? [...all];
    const next = on ? [...new Set([...current, value])] : current.filter((v) => v !== value);
    const { [key]: _drop, ...rest } = filter;
    useAnnouncementStore
      .getState()
      .setFilter(next.length === 0 || next.length === all.length ? rest : { ...rest, [key]: next });
  };
  const statuses = filter.status ?? ConnectionStatus.options;
  const roles = filter.role ?? Role.options;

  return (
    <div className={styles.root}>
      <div className={styles.groups}>
        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>Status</legend>
          {ConnectionStatus.options.map((status) => (
            <Checkbox
              key={status}
              label={STATUS_LABEL[status]}
              checked={statuses.includes(status)}
              onChange={(_, data) =>
                toggle('status', ConnectionStatus.options, status, data.checked === true)
              }
            />
          ))}
        </fieldset>
        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>Role</legend>
          {Role.options.map((role) => (
            <Checkbox
              key={role}
              label={ROLE_SINGULAR[role]}
              checked={roles.includes(role)}
              onChange={(_, data) => toggle('role', Role.options, role, data.checked === true)}
            />
          ))}
        </fieldset>
        <Field label="Suppression list" hint="Emails or user ids never to mail, one per line.">
          <Textarea
            value={suppressed}
            resize="vertical"
            onChange={(_, data) => useAnnouncementStore.getState().setSuppressed(data.value)}
          />
        </Field>
      </div>
      <div>
        <Button
          appearance="primary"
          onClick={() => void useAnnouncementStore.getState().refreshAudience(client)}
        >
          Count recipients
        </Button>
      </div>
      {audienceError !== null && (
        <MessageBar intent="error">
          <MessageBarBody>{audienceError}</MessageBarBody>
        </MessageBar>
      )}
      {audience !== null && (
        <section aria-label="Audience" aria-live="polite">
          {!audience.rosterLoaded && <Text>The roster is still loading; counts will grow.</Text>}
          <dl className={styles.figures}>
            {[
              ['Recipients', audience.recipients],
              ['Internal', audience.internal],
              ['External', audience.external],
              ['Held back', audience.total - audience.recipients],
            ].map(([label, value]) => (
              <div key={label} className={styles.figure}>
                <dt>{label}</dt>
                <dd
                  className={styles.value}
                  data-testid={`audience-${String(label).toLowerCase().replace(' ', '-')}`}
                >
                  {Number(value).toLocaleString('en-US')}
                </dd>
              </div>
            ))}
          </dl>
          <Text size={200}>
            Internal means an address at {audience.internalDomains.join(', ') || 'no known domain'} (the
            domains of the users’ Office 365 mailboxes). Exchange limits external recipients separately.
          </Text>
          {audience.excludedSample.length > 0 && (
            <Table size="small" aria-label="Users held back">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Name</TableHeaderCell>
                  <TableHeaderCell>Email</TableHeaderCell>
                  <TableHeaderCell>Why</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {audience.excludedSample.map((user) => (
                  <TableRow key={user.userId}>
                    <TableCell>{user.name}</TableCell>
                    <TableCell>{user.email}</TableCell>
                    <TableCell>{EXCLUSION[user.reason]}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </section>
      )}
    </div>
  );
}
