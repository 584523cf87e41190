import { GRAPH_LIMITS } from '../../net/graph-budget.ts';

export interface SendingLimits {
  messagesPerMinute: number;
  recipientsPerDay: number;
  /** The recipient quota's window (24 hours at Exchange). */
  windowMs: number;
}

export const EXCHANGE_SENDING_LIMITS: SendingLimits = {
  messagesPerMinute: GRAPH_LIMITS.messagesPerSender.limit,
  recipientsPerDay: GRAPH_LIMITS.recipientsPerSender.limit,
  windowMs: GRAPH_LIMITS.recipientsPerSender.windowMs,
};

/** Outlook's 10,000 requests per mailbox per 10 minutes bound a drafts run (no sending limits apply). */
const DRAFTS_PER_MINUTE =
  GRAPH_LIMITS.requestsPerMailbox.limit / (GRAPH_LIMITS.requestsPerMailbox.windowMs / 60_000);

/**
 * How long `messages` single-recipient messages take at Exchange's limits, starting now with
 * `usedToday` recipients already counted in the sending mailbox's 24-hour window: at most
 * `messagesPerMinute`, and whenever the day's quota is used up, a wait until the window frees
 * (our own first message of the day leaves the window 24 hours after it went).
 */
export function sendingDuration(
  messages: number,
  usedToday: number,
  limits: SendingLimits = EXCHANGE_SENDING_LIMITS,
): { ms: number; quotaPauses: number } {
  if (messages <= 0) return { ms: 0, quotaPauses: 0 };
  const perMessageMs = 60_000 / limits.messagesPerMinute;
  let remaining = messages;
  let available = Math.max(0, limits.recipientsPerDay - usedToday);
  let ms = 0;
  let windowStart = 0;
  let quotaPauses = 0;
  for (;;) {
    const batch = Math.min(remaining, available);
    if (batch > 0) {
      // The first message goes at once; each further one waits its turn in the minute.
      ms =
        Math.max(ms, windowStart) +
        (batch - 1) * perMessageMs +
        (ms > 0 || windowStart > 0 ? perMessageMs : 0);
      remaining -= batch;
    }
    if (remaining === 0) return { ms, quotaPauses };
    // The window frees a day after it began (earlier counts from before now free sooner: an upper bound).
    quotaPauses += 1;
    windowStart += limits.windowMs;
    available = limits.recipientsPerDay;
  }
}

/** A drafts run is bounded by Outlook's request quota per mailbox, not by sending limits. */
export function draftsDuration(messages: number): number {
  return messages <= 0 ? 0 : ((messages - 1) / DRAFTS_PER_MINUTE) * 60_000;
}
