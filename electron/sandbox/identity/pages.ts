import type { DemoUser } from './directory.ts';

/**
 * The identity provider's HTML: the sign-in/consent page, the device-code verification page, the
 * form_post hand-off and error pages. No JavaScript except the form_post auto-submit (with a
 * `<noscript>` button), real labels, a skip-free single landmark, visible focus, and messages in a
 * `role="alert"` region so screen readers announce them.
 */

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

const STYLE = `
body{font-family:"Segoe UI",system-ui,sans-serif;background:#f3f2f1;color:#1b1a19;margin:0}
main{max-width:28rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:4px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:1.5rem;margin-top:0} p{line-height:1.5}
button,input{font:inherit} input[type=text]{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #605e5c;letter-spacing:.1em}
.choices{display:flex;flex-direction:column;gap:.75rem;margin:1.5rem 0}
button{padding:.6rem 1rem;border:1px solid #0f6cbd;background:#0f6cbd;color:#fff;border-radius:2px;cursor:pointer;text-align:left}
button.secondary{background:#fff;color:#0f6cbd} button.deny{background:#fff;color:#a4262c;border-color:#a4262c}
button:focus-visible,input:focus-visible{outline:3px solid #1b1a19;outline-offset:2px}
.alert{border-left:4px solid #a4262c;padding:.5rem 1rem;background:#fde7e9}
.small{font-size:.875rem;color:#484644}`;

function layout(title: string, body: string, scriptNonce?: string, script?: string): string {
  const scriptTag = scriptNonce && script ? `<script nonce="${scriptNonce}">${script}</script>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main>${scriptTag}</body></html>`;
}

function userButtons(users: DemoUser[], preselected: DemoUser | undefined): string {
  // The hinted user comes first and gets autofocus, which is what login_hint means to a person.
  const ordered = preselected ? [preselected, ...users.filter((u) => u.key !== preselected.key)] : users;
  return ordered
    .map((u, i) => {
      const label = `Demo ${u.key}`;
      return `<button type="submit" name="choice" value="${u.key}"${i === 0 ? ' autofocus' : ''} class="${i === 0 ? '' : 'secondary'}">${escapeHtml(label)} <span class="small">(${escapeHtml(u.userPrincipalName)})</span></button>`;
    })
    .join('');
}

export function signInPage(args: {
  appName: string;
  scopes: string[];
  transaction: string;
  users: DemoUser[];
  preselected: DemoUser | undefined;
  action: string;
}): string {
  const scopeList = args.scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('');
  return layout(
    'Sign in - Sandbox identity provider',
    `<h1>Sign in to ${escapeHtml(args.appName)}</h1>
<p>This is the local sandbox's identity provider. Choose a demo account; consent is given automatically.</p>
<p>The app asks for:</p><ul>${scopeList}</ul>
<form method="post" action="${escapeHtml(args.action)}">
<input type="hidden" name="txn" value="${escapeHtml(args.transaction)}">
<fieldset class="choices"><legend>Choose an account</legend>
${userButtons(args.users, args.preselected)}
<button type="submit" name="choice" value="deny" class="deny">Deny</button>
</fieldset></form>`,
  );
}

export function deviceCodePage(args: {
  action: string;
  users: DemoUser[];
  message?: string;
  done?: string;
  userCode?: string;
}): string {
  if (args.done)
    return layout(
      'Device sign-in - Sandbox identity provider',
      `<h1>Device sign-in</h1><p role="status">${escapeHtml(args.done)}</p>`,
    );
  const alert = args.message ? `<p class="alert" role="alert">${escapeHtml(args.message)}</p>` : '';
  return layout(
    'Device sign-in - Sandbox identity provider',
    `<h1>Enter code</h1>${alert}
<p>Enter the code shown by the application, then choose a demo account.</p>
<form method="post" action="${escapeHtml(args.action)}">
<label for="otc">Code</label>
<input type="text" id="otc" name="otc" autocomplete="one-time-code" autocapitalize="characters" required value="${escapeHtml(args.userCode ?? '')}"${args.message || !args.userCode ? ' autofocus' : ''}>
<fieldset class="choices"><legend>Choose an account</legend>
${userButtons(args.users, undefined)}
<button type="submit" name="choice" value="deny" class="deny">Deny</button>
</fieldset></form>`,
  );
}

/** Entra's response_mode=form_post hand-off: a form that posts the result to the redirect URI. */
export function formPostPage(
  redirectUri: string,
  fields: Record<string, string>,
  scriptNonce: string,
): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return layout(
    'Working... - Sandbox identity provider',
    `<h1>Returning to the application</h1><form method="post" action="${escapeHtml(redirectUri)}">${inputs}<noscript><p>Script is off: continue by hand.</p><button type="submit">Continue</button></noscript></form>`,
    scriptNonce,
    'document.forms[0].submit();',
  );
}

export function errorPage(title: string, message: string): string {
  return layout(
    `${title} - Sandbox identity provider`,
    `<h1>${escapeHtml(title)}</h1><p class="alert" role="alert">${escapeHtml(message)}</p>`,
  );
}
