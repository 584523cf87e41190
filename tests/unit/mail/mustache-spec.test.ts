import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, renderMustache, tokenizeMustache } from '../../../shared/mail/mustache.ts';

interface SpecTest {
  name: string;
  data: unknown;
  template: string;
  expected: string;
}

const spec = JSON.parse(
  readFileSync(new URL('../../fixtures/external/mustache/interpolation.json', import.meta.url), 'utf8'),
) as { tests: SpecTest[] };

describe('mustache interpolation spec (mustache/spec interpolation.json)', () => {
  it('has the spec’s 42 tests', () => {
    expect(spec.tests).toHaveLength(42);
  });
  for (const test of spec.tests) {
    it(test.name, () => {
      expect(renderMustache(test.template, test.data)).toBe(test.expected);
    });
  }
});

describe('escapeHtml', () => {
  it('leaves no character that opens markup or ends an attribute value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => {
        expect(escapeHtml(value)).not.toMatch(/[<>"'`=]/);
        // Every & starts an entity.
        expect(escapeHtml(value).replace(/&(amp|lt|gt|quot|#39|#96|#61);/g, '')).not.toContain('&');
      }),
    );
  });
});

describe('tokenizeMustache', () => {
  it('loses and adds nothing: its pieces join back into the template', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('{', '}', '{{', '}}', '&', '#', '/', 'a', ' ', '\n') }),
        (template) => {
          const joined = tokenizeMustache(template)
            .map((token) => (token.kind === 'text' ? token.text : token.raw))
            .join('');
          expect(joined).toBe(template);
        },
      ),
    );
  });

  it('names each kind of tag', () => {
    const kinds = tokenizeMustache('{{a}}{{{b}}}{{&c}}{{#d}}{{/d}}{{^e}}{{! note }}{{>p}}{{=<% %>=}}{{x').map(
      (t) => t.kind,
    );
    expect(kinds).toEqual([
      'escaped',
      'raw',
      'raw',
      'section',
      'close',
      'inverted',
      'comment',
      'partial',
      'delimiter',
      'unclosed',
    ]);
  });
});
