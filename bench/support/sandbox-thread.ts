/**
 * Runs the sandbox on its own worker thread for benchmarks that measure the console's main thread:
 * the platform is another machine in production, so its work must not count as the console's.
 * workerData: startSandbox options (JSON-safe). Posts { platformUrl, apiKey } once listening;
 * answers { forceDisconnect: { count, stride } } with the number of users changed; closes on any other message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startSandbox, type SandboxOptions } from '../../electron/sandbox/index.ts';

if (parentPort === null) throw new Error('sandbox-thread must run as a worker thread.');
const port = parentPort;
const sandbox = await startSandbox(workerData as SandboxOptions);
port.postMessage({ platformUrl: sandbox.platformUrl, apiKey: sandbox.apiKey });
port.on('message', (message: unknown) => {
  // { forceDisconnect: { count, stride } } changes users in the model (answered with how many did).
  if (typeof message === 'object' && message !== null && 'forceDisconnect' in message) {
    const { count, stride } = (message as { forceDisconnect: { count: number; stride: number } })
      .forceDisconnect;
    let changed = 0;
    for (let i = 0; changed < count && i < sandbox.university.users; i += stride) {
      if (sandbox.university.forceDisconnect(i, 'bench').changed) changed += 1;
    }
    port.postMessage(changed);
    return;
  }
  port.removeAllListeners('message');
  void sandbox.close().then(() => port.close());
});
