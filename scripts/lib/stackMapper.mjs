// Rewrites `…/out/test/vscode/index.js:LINE:COL` in the suite's output to the TypeScript source position.
// (Inside the extension host, VS Code's own Error.prepareStackTrace bypasses Node's source-map support.)
import fs from 'node:fs';
import path from 'node:path';
import { SourceMap } from 'node:module';

/**
 * Returns a function that maps positions in `bundle` (using `bundle`.map) within a line of text.
 * @param {string} bundle @param {string} root
 * @returns {(line: string) => string}
 */
export function stackMapper(bundle, root) {
  let map;
  try {
    map = new SourceMap(JSON.parse(fs.readFileSync(`${bundle}.map`, 'utf8')));
  } catch {
    return (line) => line;
  }
  const name = path.basename(bundle).replace(/\./g, '\\.');
  const position = new RegExp(`(?:[^\\s()]*[/\\\\])?${name}:(\\d+):(\\d+)`, 'g');
  return (line) =>
    line.replace(position, (whole, lineText, columnText) => {
      const entry = map.findEntry(Number(lineText) - 1, Number(columnText) - 1);
      // findEntry() gives {} where nothing maps
      if (!('originalSource' in entry) || !entry.originalSource) return whole;
      const source = entry.originalSource.replace(/^file:\/\//, '');
      const absolute = path.resolve(path.dirname(bundle), source);
      return `${path.relative(root, absolute)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
    });
}
