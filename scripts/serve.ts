/**
 * `npm run serve`: the console in an ordinary browser, for end-to-end tests and where Electron
 * cannot run. Everything lives in electron/host/serve-command.ts; this file only sets the exit code.
 */
import { runServe } from '../electron/host/serve-command.ts';

// exit() rather than exitCode: after the stop deadline the server may still hold the event loop open.
process.exit(await runServe(process.argv.slice(2)));
