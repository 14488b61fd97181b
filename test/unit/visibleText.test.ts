import * as assert from 'node:assert/strict';
import { hasHiddenCharacters, visibleText } from '../../src/ui/visibleText';

describe('visibleText: names that cannot deceive', () => {
  const cases: [string, string, string][] = [
    ['a right-to-left override (looks like "deploy-prod.txt")', 'deploy-\u202Etxt.dorp', 'deploy-\\u{202E}txt.dorp'],
    ['bidi isolates and marks', 'a\u2066b\u2069c\u200Fd\u061C', 'a\\u{2066}b\\u{2069}c\\u{200F}d\\u{061C}'],
    ['a newline and a carriage return (a fake second line)', 'ci\nrevoked', 'ci\\u{000A}revoked'],
    ['line and paragraph separators', 'x\u2028y\u2029z', 'x\\u{2028}y\\u{2029}z'],
    ['zero-width characters (two names that look the same)', 'git\u200Bhub\u200C\u200D\u2060\uFEFF', 'git\\u{200B}hub\\u{200C}\\u{200D}\\u{2060}\\u{FEFF}'],
    ['C0, DEL and C1 controls, tab and escape', 'a\u0000b\u0007\u001b[31m\u007f\u0085\u009b\t', 'a\\u{0000}b\\u{0007}\\u{001B}[31m\\u{007F}\\u{0085}\\u{009B}\\u{0009}'],
    ['soft hyphen, Hangul filler, tag characters', 'a\u00ADb\u3164\u{E0041}', 'a\\u{00AD}b\\u{3164}\\u{E0041}'],
  ];
  for (const [what, input, shown] of cases) {
    it(`escapes ${what}`, () => {
      assert.equal(visibleText(input), shown);
      assert.equal(hasHiddenCharacters(input), true);
      assert.equal(hasHiddenCharacters(shown), false, 'the escaped text is plain');
    });
  }

  it('leaves ordinary names alone, accents, scripts and emoji included', () => {
    for (const name of ['github-actions-2026-01-31', 'Déploiement prod', 'デプロイ', 'нова', 'ci 🚀', 'שלום', 'a\\u{202E}b']) {
      assert.equal(visibleText(name), name);
      assert.equal(hasHiddenCharacters(name), false, name);
    }
  });

  it('is global: every occurrence is escaped, and repeated calls agree', () => {
    const s = '\u202E\u202E';
    assert.equal(visibleText(s), '\\u{202E}\\u{202E}');
    assert.equal(hasHiddenCharacters(s), true);
    assert.equal(hasHiddenCharacters(s), true);
  });
});
