// The YAML library, once: the flyctl config reader and the workflow writer both load this one on-demand file
// (dist/yaml.js) instead of each carrying its own 117 KB copy (see esbuild.mjs).
export { Document, Scalar, parseDocument } from 'yaml';
