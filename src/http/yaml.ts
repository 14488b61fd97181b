// The YAML library, once: the flyctl config reader and the workflow writer both load this one on-demand file
// (dist/yaml.js) instead of each carrying its own 117 KB copy (see esbuild.mjs).
//
// Silenced here, for every caller: at its default log level the library reports warnings through
// process.emitWarning (into the extension host's stderr, which ends in VS Code's logs), and a warning quotes the
// text it is about, e.g. toJS() on a map whose key is a collection prints that key, which can be a token.
import { Document, Scalar, parseDocument as parseLoud, type ToJSOptions } from 'yaml';

export { Scalar };

const SILENT = { logLevel: 'silent' } as const;

/** Parses without printing anything; errors and warnings stay on the document (`errors`, `warnings`). */
export function parseDocument(text: string): Document.Parsed {
  return parseLoud(text, { ...SILENT, prettyErrors: false });
}

/** The document's value as plain JS, printing nothing (its log level is silent whatever made it). */
export function toJS(doc: Document, options?: ToJSOptions): unknown {
  doc.options.logLevel = 'silent';
  return doc.toJS(options);
}

/** A new document around `value` that prints nothing. */
export function newDocument(value: unknown): Document {
  return new Document(value, SILENT);
}
