/**
 * MSAL and network failures, turned into what an operator can act on. The messages never quote
 * tokens or codes: only the AADSTS number (which Microsoft documents) where there is one.
 */

export interface SignInProblem {
  code:
    | 'cancelled'
    | 'timeout'
    | 'consent_denied'
    | 'wrong_client_id'
    | 'wrong_tenant'
    | 'session_expired'
    | 'code_expired'
    | 'network'
    | 'port_unavailable'
    | 'not_configured'
    | 'identity_error';
  message: string;
  retryable: boolean;
}

interface ErrorLike {
  errorCode?: unknown;
  errorMessage?: unknown;
  subError?: unknown;
  code?: unknown;
  message?: unknown;
  name?: unknown;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The AADSTS code in an Entra message, e.g. 700016, or null. */
export function aadstsCode(message: string): number | null {
  const match = /AADSTS(\d{5,7})/.exec(message);
  return match?.[1] ? Number(match[1]) : null;
}

/**
 * `wire` is the provider's own error answer seen during the flow: MSAL sometimes wraps it vaguely
 * (post_request_failed) or trips over it (a TypeError on an error body), and the answer is then
 * the better guide.
 */
export function describeSignInError(
  error: unknown,
  wire: { errorCode: string; errorMessage: string } | null = null,
): SignInProblem {
  const described = describe(error);
  if (described.code === 'identity_error' && wire !== null) return describe(wire);
  return described;
}

function describe(error: unknown): SignInProblem {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  const code = text(e.errorCode) || text(e.code);
  const message = `${text(e.errorMessage)} ${text(e.message)}`;
  const aadsts = aadstsCode(message);
  if (code === 'user_cancelled' || code === 'authentication_canceled') {
    return { code: 'cancelled', message: 'Sign-in was cancelled.', retryable: true };
  }
  if (
    code === 'access_denied' ||
    code === 'consent_required' ||
    code === 'authorization_declined' ||
    aadsts === 65004
  ) {
    return {
      code: 'consent_denied',
      message:
        'The sign-in was declined. Sign in again and accept, or ask your Microsoft 365 administrator to grant consent to the console for your organisation.',
      retryable: true,
    };
  }
  if (code === 'unauthorized_client' || aadsts === 700016) {
    return {
      code: 'wrong_client_id',
      message:
        'This tenant has no application with the configured client id (AADSTS700016). Check the application (client) id in Settings → Sign-in against the app registration’s Overview page.',
      retryable: false,
    };
  }
  if (
    aadsts === 90002 ||
    aadsts === 900023 ||
    code === 'endpoints_resolution_error' ||
    code === 'openid_config_error' ||
    code === 'untrusted_authority'
  ) {
    return {
      code: 'wrong_tenant',
      message:
        'The identity provider does not know the configured tenant. Check the tenant (directory id or domain) in Settings → Sign-in.',
      retryable: false,
    };
  }
  if (code === 'expired_token' || code === 'device_code_expired') {
    return {
      code: 'code_expired',
      message: 'The sign-in code expired before it was used. Start again for a new code.',
      retryable: true,
    };
  }
  if (
    code === 'invalid_grant' ||
    code === 'interaction_required' ||
    code === 'login_required' ||
    code === 'no_tokens_found'
  ) {
    return {
      code: 'session_expired',
      message: 'Your session has ended. Sign in again to continue where you were.',
      retryable: true,
    };
  }
  if (
    code === 'EADDRINUSE' ||
    code === 'EACCES' ||
    code === 'loopback_server_error' ||
    code === 'loopback_server_timeout'
  ) {
    return {
      code: 'port_unavailable',
      message:
        'The console could not listen on this computer for the browser’s answer (the port is in use or blocked). Try again, or use “Sign in with a code”.',
      retryable: true,
    };
  }
  if (
    code === 'network_error' ||
    code === 'no_network_connectivity' ||
    /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket hang up|timed out|TrustedNetworkError/i.test(
      `${message} ${text(e.name)} ${code}`,
    )
  ) {
    return {
      code: 'network',
      message:
        'The identity provider could not be reached (the network is down or it stopped answering). Check the connection and try again.',
      retryable: true,
    };
  }
  return {
    code: 'identity_error',
    message:
      aadsts === null
        ? 'The sign-in failed. Try again; if it keeps failing, the details are in the log.'
        : `The identity provider refused the sign-in (AADSTS${aadsts}). Try again, or give this number to your administrator.`,
    retryable: true,
  };
}
