/**
 * Runs the sandbox on its own worker thread for benchmarks that measure the console's main thread:
 * the platform is another machine in production, so its work must not count as the console's.
 * workerData: startSandbox options (JSON-safe). Posts { platformUrl, apiKey } once listening;
 * closes on any message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startSandbox, type SandboxOptions } from '../../electron/sandbox/index.ts';

if (parentPort === null) throw new Error('sandbox-thread must run as a worker thread.');
const port = parentPort;
const sandbox = await startSandbox(workerData as SandboxOptions);
port.postMessage({ platformUrl: sandbox.platformUrl, apiKey: sandbox.apiKey });
port.once('message', () => {
  void sandbox.close().then(() => port.close());
});
