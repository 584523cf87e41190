import { makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  details: {
    '& summary': {
      cursor: 'pointer',
      color: tokens.colorBrandForegroundLink,
      fontWeight: tokens.fontWeightSemibold,
    },
    '& summary:focus-visible': {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      borderRadius: tokens.borderRadiusSmall,
    },
  },
  steps: {
    margin: `${tokens.spacingVerticalS} 0 0`,
    paddingInlineStart: tokens.spacingHorizontalXL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
  },
  code: { fontFamily: tokens.fontFamilyMonospace },
});

/**
 * The Entra ID app registration, step by step, where the operator needs it (it used to be a pointer
 * to the README). Keep in step with README.md "App registration".
 */
export function AppRegistrationSteps() {
  const styles = useStyles();
  return (
    <details className={styles.details} id="app-registration-steps" data-testid="app-registration-steps">
      <summary>How to register the console in Microsoft Entra ID</summary>
      <ol className={styles.steps}>
        <li>
          Entra admin center → Identity → Applications → App registrations → <strong>New registration</strong>
          . Name it “Calendar Sync Migration Console”, single tenant.
        </li>
        <li>
          Authentication → Add a platform → <em>Mobile and desktop applications</em> → redirect URI{' '}
          <code className={styles.code}>http://localhost</code>. Under Advanced settings turn{' '}
          <strong>Allow public client flows</strong> on (for “Sign in with a code”).
        </li>
        <li>
          API permissions (delegated, Microsoft Graph): <code className={styles.code}>User.Read</code>,{' '}
          <code className={styles.code}>Mail.Send</code>, <code className={styles.code}>Mail.ReadWrite</code>;
          grant admin consent.
        </li>
        <li>
          App roles: create <code className={styles.code}>Migration.Director</code> (everything) and{' '}
          <code className={styles.code}>Migration.Support</code> (reads everything, acts on one user), allowed
          member types Users/Groups.
        </li>
        <li>Enterprise applications → the console → Users and groups: assign each operator a role.</li>
        <li>
          Copy the <strong>Directory (tenant) id</strong> and <strong>Application (client) id</strong> from
          the registration’s Overview page into the fields above, then Save.
        </li>
      </ol>
    </details>
  );
}
