import { realRuntime, type Runtime } from './clock.ts';
import { KeyedSemaphore } from './keyed-semaphore.ts';
import { SlidingWindowQuota } from './sliding-window.ts';

/** Graph's limits per app and mailbox, and Exchange Online's per sending mailbox (docs/clients.md). */
export const GRAPH_LIMITS = {
  /** Outlook: 4 concurrent requests per app per mailbox. */
  concurrentPerMailbox: 4,
  /** Outlook: 10,000 requests per app per mailbox per 10 minutes. */
  requestsPerMailbox: { limit: 10_000, windowMs: 10 * 60_000 },
  /** Exchange Online: 30 messages per minute from one mailbox. */
  messagesPerSender: { limit: 30, windowMs: 60_000 },
  /** Exchange Online: 10,000 recipients per sliding 24 hours from one mailbox. */
  recipientsPerSender: { limit: 10_000, windowMs: 24 * 3_600_000 },
} as const;

export interface GraphBudgetOptions {
  runtime?: Runtime;
  concurrentPerMailbox?: number;
  requestsPerMailbox?: { limit: number; windowMs: number };
  messagesPerSender?: { limit: number; windowMs: number };
  recipientsPerSender?: { limit: number; windowMs: number };
}

/**
 * Keyed budgets for Microsoft Graph, shared by every Graph client of one app registration: per
 * mailbox (concurrency and a 10-minute request quota) and per sending mailbox (messages per minute,
 * recipients per day). Mailbox keys are compared in lower case.
 *
 *     const release = await budget.request('ada@uni.edu', signal);   // one request on the wire
 *     try { … } finally { release(); }
 *     await budget.send('director@uni.edu', recipients.length, signal); // before each sendMail
 */
export class GraphBudget {
  readonly concurrency: KeyedSemaphore;
  readonly requests: SlidingWindowQuota;
  readonly messages: SlidingWindowQuota;
  readonly recipients: SlidingWindowQuota;
  private readonly runtime: Runtime;
  /** Mailboxes Graph throttled, and until when (epoch ms): nobody sends to them before. */
  private readonly pausedUntil = new Map<string, number>();

  constructor(options: GraphBudgetOptions = {}) {
    const runtime = (this.runtime = options.runtime ?? realRuntime);
    this.concurrency = new KeyedSemaphore(options.concurrentPerMailbox ?? GRAPH_LIMITS.concurrentPerMailbox);
    this.requests = new SlidingWindowQuota(
      runtime,
      options.requestsPerMailbox ?? GRAPH_LIMITS.requestsPerMailbox,
    );
    this.messages = new SlidingWindowQuota(
      runtime,
      options.messagesPerSender ?? GRAPH_LIMITS.messagesPerSender,
    );
    this.recipients = new SlidingWindowQuota(
      runtime,
      options.recipientsPerSender ?? GRAPH_LIMITS.recipientsPerSender,
    );
  }

  /**
   * Waits for the mailbox's request quota and one of its concurrent slots; the returned function
   * gives the slot back (call it when the reply has been read). `$batch` counts as one request.
   */
  async request(mailbox: string, signal?: AbortSignal): Promise<() => void> {
    const key = mailbox.toLowerCase();
    for (;;) {
      const until = this.pausedUntil.get(key) ?? 0;
      const wait = until - this.runtime.now();
      if (wait <= 0) break;
      await this.runtime.sleep(wait, signal);
    }
    this.pausedUntil.delete(key);
    await this.requests.take(key, 1, signal);
    return this.concurrency.acquire(key, signal);
  }

  /**
   * Graph throttled this mailbox (429 with Retry-After): every request to it waits that long, not
   * only the one that was refused.
   */
  pause(mailbox: string, ms: number): void {
    const key = mailbox.toLowerCase();
    const until = this.runtime.now() + Math.min(Math.max(0, ms), 3_600_000);
    if (until > (this.pausedUntil.get(key) ?? 0)) this.pausedUntil.set(key, until);
  }

  /**
   * Waits until `sender` may send one more message to `recipientCount` recipients (30 messages a
   * minute, 10,000 recipients a day), and counts it. A message to more recipients than the daily
   * quota can never go: RangeError.
   */
  async send(sender: string, recipientCount: number, signal?: AbortSignal): Promise<void> {
    const key = sender.toLowerCase();
    // Recipients first: a day's quota is the long wait, and a message slot taken early would idle.
    await this.recipients.take(key, Math.max(1, recipientCount), signal);
    await this.messages.take(key, 1, signal);
  }

  /** What is left for a sending mailbox now, for a job's progress ("312 of 10,000 recipients used today"). */
  sendingUsage(sender: string): { messagesLastMinute: number; recipientsLastDay: number } {
    const key = sender.toLowerCase();
    return { messagesLastMinute: this.messages.usedBy(key), recipientsLastDay: this.recipients.usedBy(key) };
  }
}
