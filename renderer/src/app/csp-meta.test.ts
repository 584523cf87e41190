// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../../../shared/security/csp.ts';
import indexHtml from '../../index.html?raw';

function parse(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

describe('renderer/index.html', () => {
  const doc = parse(indexHtml);

  it('declares exactly the shared policy in one CSP meta tag', () => {
    const metas = doc.querySelectorAll('meta[http-equiv="Content-Security-Policy" i]');
    expect(metas).toHaveLength(1);
    expect(metas[0]?.getAttribute('content')).toBe(META_CONTENT_SECURITY_POLICY);
  });

  it('keeps the meta policy the header policy minus only the header-only directives', () => {
    const header = CONTENT_SECURITY_POLICY.split('; ');
    const meta = META_CONTENT_SECURITY_POLICY.split('; ');
    expect(header.filter((d) => !meta.includes(d))).toEqual(["frame-ancestors 'none'"]);
    expect(meta.every((d) => header.includes(d))).toBe(true);
  });

  it('has no inline script or style the policy would block', () => {
    for (const script of doc.querySelectorAll('script')) {
      expect(script.getAttribute('src'), 'every script is a file').toBeTruthy();
      expect(script.textContent?.trim()).toBe('');
    }
    expect(doc.querySelectorAll('style')).toHaveLength(0);
    expect(doc.querySelectorAll('[style]')).toHaveLength(0);
  });

  it('loads nothing from another origin', () => {
    for (const el of doc.querySelectorAll('[src], [href]')) {
      const url = el.getAttribute('src') ?? el.getAttribute('href') ?? '';
      expect(url, `${el.tagName} ${url}`).toMatch(/^\.?\//);
    }
  });
});
