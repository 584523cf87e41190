import type { Command } from '../command.ts';
import { choiceOption, intOption } from '../globals.ts';

export const sandboxStartCommand: Command = {
  name: 'sandbox start',
  summary: 'Starts the local sandbox (platform API, Graph subset, identity provider) until Ctrl+C.',
  details:
    'Prints one JSON line {"platformUrl","graphUrl","authorityUrl","adminUrl","apiKey","graphClientId",\n' +
    '"graphClientSecret","graphAppToken"} once ready (the last three let a script verify against it), then runs\n' +
    'until SIGINT or SIGTERM. The key is a sandbox key: it opens nothing but this sandbox.',
  options: {
    port: { type: 'string', valueName: 'N', description: 'Port on 127.0.0.1 (default: any free port).' },
    users: { type: 'string', valueName: 'N', description: 'Number of users to generate (default 12000).' },
    seed: { type: 'string', valueName: 'S', description: 'Seed: the same seed gives the same university.' },
    faults: {
      type: 'string',
      valueName: 'none|light|heavy',
      description: 'Transient failures to inject (default none).',
    },
    'latency-ms': { type: 'string', valueName: 'N', description: 'Delay added to every reply.' },
    'rate-limit': {
      type: 'string',
      valueName: 'N',
      description:
        'Platform requests per second per API key (default 20, burst twice that); e.g. 10 to play a stricter platform.',
    },
  },
  async run(context) {
    const { values } = context;
    const port = intOption(values, 'port', 0, 65_535);
    const users = intOption(values, 'users', 1, 500_000);
    const latencyMs = intOption(values, 'latency-ms', 0, 60_000);
    const rate = intOption(values, 'rate-limit', 1, 1_000_000);
    const faults = choiceOption(values, 'faults', ['none', 'light', 'heavy'] as const);
    const seed = typeof values['seed'] === 'string' ? values['seed'] : undefined;
    const { startSandbox } = await import('../../sandbox/index.ts');
    const sandbox = await startSandbox({
      ...(port === undefined ? {} : { port }),
      ...(users === undefined ? {} : { users }),
      ...(seed === undefined ? {} : { seed }),
      ...(faults === undefined ? {} : { faults }),
      ...(latencyMs === undefined ? {} : { latencyMs }),
      ...(rate === undefined ? {} : { rateLimit: { perSecond: rate, burst: rate * 2 } }),
    });
    const ready = {
      platformUrl: sandbox.platformUrl,
      graphUrl: sandbox.graphUrl,
      authorityUrl: sandbox.authorityUrl,
      adminUrl: sandbox.adminUrl,
      apiKey: sandbox.apiKey,
      // The sandbox's own verifier app and a ready app token (Calendars.Read): demo credentials only.
      graphClientId: sandbox.graphClient.clientId,
      graphClientSecret: sandbox.graphClient.clientSecret,
      graphAppToken: sandbox.graphAppToken,
    };
    // One line in both modes: scripts read it the same way.
    context.out.result(ready, JSON.stringify(ready));
    context.out.log(
      `Sandbox ready (${users ?? 'default number of'} users, faults ${faults ?? 'none'}). Stop with Ctrl+C.`,
    );
    await new Promise<void>((resolve) => {
      if (context.signal.aborted) resolve();
      else context.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    context.out.log('Stopping the sandbox…');
    await sandbox.close();
    return 0;
  },
};
