import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, isAppUrl } from './app-url.ts';

describe('isAppUrl', () => {
  it('accepts app://console URLs only', () => {
    expect(APP_ENTRY_URL).toBe('app://console/index.html');
    expect(isAppUrl('app://console/')).toBe(true);
    expect(isAppUrl('app://console/index.html?x=1#y')).toBe(true);
    // Chromium canonicalises standard-scheme hosts to lower case, so anything else did not come from it.
    expect(isAppUrl('app://CONSOLE/index.html')).toBe(false);
    for (const url of [
      'app://console:1/',
      'app://a@console/',
      'app://consolex/',
      'apps://console/',
      'https://console/',
      '//console/',
      'console',
      42,
      null,
      `app://console/${'a'.repeat(9000)}`,
    ]) {
      expect(isAppUrl(url), String(url).slice(0, 40)).toBe(false);
    }
  });
});
