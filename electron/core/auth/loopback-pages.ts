/**
 * What the system browser shows once the sign-in page hands back to the console's loopback
 * listener. Static HTML, no script, no outside resources: the operator only needs to know to go
 * back to the console (and, after a failure, that the console has the details and a Retry).
 */

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style>body{font-family:"Segoe UI",system-ui,sans-serif;background:#f3f2f1;color:#1b1a19;margin:0}main{max-width:30rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:4px;box-shadow:0 2px 6px rgba(0,0,0,.2)}h1{font-size:1.5rem;margin-top:0}p{line-height:1.5}</style></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
}

export const SIGN_IN_SUCCESS_PAGE = page(
  'You are signed in',
  '<p>You can close this tab and return to the Calendar Sync Migration Console.</p>',
);

export const SIGN_IN_ERROR_PAGE = page(
  'Sign-in did not finish',
  '<p>Return to the Calendar Sync Migration Console: it explains what went wrong and lets you try again.</p><p>You can close this tab.</p>',
);
