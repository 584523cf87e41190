/**
 * The verification bench's sandbox on its own thread: it stands for the platform and Microsoft
 * Graph, other machines in production, so its CPU must not count as the console's. workerData:
 * { users, items, latencyMs }. Posts the URLs, keys and the chosen user ids once listening; closes
 * on any message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startSandbox } from '../electron/sandbox/index.ts';

if (parentPort === null) throw new Error('verify-sandbox.worker must run as a worker thread.');
const port = parentPort;
const { users, items, latencyMs } = workerData as { users: number; items: number; latencyMs: number };
const sandbox = await startSandbox({
  users: 250_000,
  seed: 'verify-bench',
  latencyMs,
  rateLimit: { perSecond: 1e9, burst: 1e9 },
});
const u = sandbox.university;
// Users with exactly `items` synced items and a mailbox Graph can read.
const picked: string[] = [];
for (let i = 0; i < u.users && picked.length < users; i++) {
  if (u.syncedItems(i).length !== items) continue;
  const userId = u.connection(i).userId;
  const ref = u.mailbox.resolve(userId);
  if (ref === null || ref.inactive) continue;
  picked.push(userId);
}
port.postMessage({
  platformUrl: sandbox.platformUrl,
  graphUrl: sandbox.graphUrl,
  adminUrl: sandbox.adminUrl,
  apiKey: sandbox.apiKey,
  graphAppToken: sandbox.graphAppToken,
  picked,
});
port.once('message', () => {
  void sandbox.close().then(() => port.close());
});
