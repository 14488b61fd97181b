// Text from other people (token names, creators, organization names, fly.toml app names) shown so it cannot
// deceive: characters that are invisible or that reorder or break the text around them are shown escaped, as
// \u{202E}. No `vscode`: pure, and unit-tested.

/**
 * C0 and C1 controls and DEL; bidi embeddings, overrides, isolates and marks; line and paragraph separators;
 * zero-width and other invisible characters (ZWSP/ZWNJ/ZWJ, word joiner, BOM, soft hyphen, Mongolian vowel
 * separator, Hangul fillers, invisible math operators) and the tag characters used to smuggle hidden text.
 */
// eslint-disable-next-line no-control-regex
const DECEPTIVE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb]|\u{e0001}|[\u{e0020}-\u{e007f}]/gu;

/** Whether the text holds a character `visibleText` would escape. */
export function hasHiddenCharacters(text: string): boolean {
  return new RegExp(DECEPTIVE.source, 'u').test(text);
}

/** The text with every such character written as `\u{XXXX}`, so what is shown is what is there. */
export function visibleText(text: string): string {
  return text.replace(DECEPTIVE, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}`);
}

/** The text without any such character (for a name made from someone else's, e.g. a rotated token's). */
export function withoutHiddenCharacters(text: string): string {
  return text.replace(DECEPTIVE, '');
}
