import { z } from 'zod';

// zod v4 probes for eval support with `new Function('')` to compile fast parsers. Under our
// `script-src 'self'` that probe is refused (and reported as a CSP violation), so tell zod up front
// to use its interpreter. Imported first by main.tsx, before any schema parses anything.
z.config({ jitless: true });
