/**
 * Structured logging for the main process, the browser host and the CLI. Lines are JSON so a
 * support bundle can be searched, and every field goes through `redact` first: no token, key or
 * personal payload is ever written (the sign-in issue proves it with a sentinel scan).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface LogSink {
  write(line: string): void;
}

const SECRET_KEY_PATTERN =
  /(authorization|token|secret|password|apikey|api_key|cookie|key$|^key|code_verifier|assertion)/i;
/**
 * A bearer credential to the end of its value: up to a closing quote, or the end of the text. Not
 * up to the next space or line break, since a key pasted with a line break in it (which then
 * breaks the header) still continues there: "Bearer abc\nSECRETTAIL" must lose both parts.
 */
const BEARER_PATTERN = /\b(Bearer)\s+[^"'`]*/g;
/** `Authorization: …` / `api-key=…` written into a message, to the end of the value as above. */
const HEADER_SECRET_PATTERN = /\b(authorization|x-api-key|api[-_]?key)(\s*[:=]\s*)(?!\s*Bearer\b)[^"'`]*/gi;
const JWT_PATTERN = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g;

/** Strips secrets from a value before it is logged. Keys that look secret lose their value entirely. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[depth]';
  if (typeof value === 'string') {
    return value
      .replace(BEARER_PATTERN, '$1 [redacted]')
      .replace(HEADER_SECRET_PATTERN, '$1$2[redacted]')
      .replace(JWT_PATTERN, '[redacted-jwt]')
      .slice(0, 2000);
  }
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: redact(value.message, depth + 1) };
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY_PATTERN.test(key) ? '[redacted]' : redact(inner, depth + 1);
  }
  return out;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(options: {
  sink: LogSink;
  level?: LogLevel;
  bindings?: Record<string, unknown>;
  now?: () => Date;
}): Logger {
  const minimum = LEVEL_ORDER[options.level ?? 'info'];
  const now = options.now ?? (() => new Date());
  const bindings = options.bindings ?? {};
  const log = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (LEVEL_ORDER[level] < minimum) return;
    const record = {
      at: now().toISOString(),
      level,
      message: redact(message),
      ...(redact({ ...bindings, ...fields }) as object),
    };
    options.sink.write(`${JSON.stringify(record)}\n`);
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (more) => createLogger({ ...options, bindings: { ...bindings, ...more } }),
  };
}

/** A logger that keeps lines in memory: for tests and for the diagnostics export. */
export function createMemoryLogger(level: LogLevel = 'debug'): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ level, sink: { write: (line) => lines.push(line) } });
  return Object.assign(logger, { lines });
}

export const stderrSink: LogSink = { write: (line) => process.stderr.write(line) };
