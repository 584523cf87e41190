/**
 * The console's own announcement templates, in our words, using the same fields as the platform's.
 * They are built in (read-only); an operator duplicates one to adapt it.
 */
export interface BuiltInTemplate {
  id: string;
  name: string;
  subject: string;
  body: string;
}

export const BUILT_IN_TEMPLATE_PREFIX = 'builtin:';

export const BUILT_IN_TEMPLATES: readonly BuiltInTemplate[] = [
  {
    id: `${BUILT_IN_TEMPLATE_PREFIX}reauthorize`,
    name: 'Reconnect your calendar before the cut-off',
    subject: 'Action needed by [DATE PROVIDED]: reconnect your [UNIVERSITY] calendar sync',
    body: [
      'Hi {{FirstName}},',
      '',
      'Your career platform account keeps your [UNIVERSITY] Office 365 calendar in sync with events, appointments and interviews. Microsoft is retiring the connection it uses today, so every calendar connection has to be set up again once.',
      '',
      '**Please reconnect by {{CutoffDate}}.** It takes about a minute:',
      '',
      '1. [Open your calendar sync settings]({{MagicLink}}) (this link signs you in).',
      '2. Choose **Disconnect**, then **Connect Office 365 calendar** and sign in with your university account.',
      '',
      'If you have not reconnected by {{CutoffDate}}, your calendar sync stops until you reconnect it yourself. Events already on your calendar stay where they are. After you reconnect, the first sync can take up to 30 minutes.',
      '',
      'Need help? Read [how to reconnect calendar sync]({{HelpUrl}}).',
      '',
      'Thank you,',
      '[UNIVERSITY] Career Center',
    ].join('\n'),
  },
  {
    id: `${BUILT_IN_TEMPLATE_PREFIX}disconnected`,
    name: 'Your calendar sync was disconnected',
    subject: 'Your [UNIVERSITY] calendar sync is paused: reconnect it in a minute',
    body: [
      'Hi {{FirstName}},',
      '',
      'Your Office 365 calendar is no longer syncing with your career platform account. The old connection was switched off on {{CutoffDate}}, when Microsoft retired the service it relied on.',
      '',
      'Nothing on your calendar was removed. To get new events, appointments and interviews on your calendar again:',
      '',
      '1. [Open your calendar sync settings]({{MagicLink}}) (this link signs you in).',
      '2. Choose **Connect Office 365 calendar** and sign in with your university account.',
      '',
      'The first sync after reconnecting can take up to 30 minutes. If something does not look right after that, read [how to reconnect calendar sync]({{HelpUrl}}) or reply to this message.',
      '',
      'Thank you,',
      '[UNIVERSITY] Career Center',
    ].join('\n'),
  },
];
