// The text of the deploy workflow. Every value that comes from outside (branch, secret name, fly.toml path,
// environment) is written as a double-quoted scalar the YAML library produces, after `workflowProblem` refused
// anything that could change the file's structure.
import { newDocument, Scalar } from '../http/yaml';
import { workflowProblem, type WorkflowOptions } from './workflow';

/** The value as one YAML double-quoted scalar, on one line. */
function quoted(value: string): string {
  const node = new Scalar(value);
  node.type = Scalar.QUOTE_DOUBLE;
  return newDocument(node).toString({ lineWidth: 0 }).trimEnd();
}

/** A path as one shell word. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9._/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function deployWorkflow(o: WorkflowOptions): string {
  const problem = workflowProblem(o);
  if (problem) throw new RangeError(`unsafe workflow value: ${problem}`);
  const config = o.configPath && o.configPath !== 'fly.toml' ? ` --config ${shellWord(o.configPath)}` : '';
  const lines = [
    `# Deploys to Fly.io on every push to ${o.branch}.`,
    `# Needs the GitHub Actions secret ${o.secretName}: a Fly.io deploy token (fly tokens create deploy).`,
    'name: Fly Deploy',
    'on:',
    '  push:',
    '    branches:',
    `      - ${quoted(o.branch)}`,
    'jobs:',
    '  deploy:',
    '    name: Deploy app',
    '    runs-on: ubuntu-latest',
    ...(o.environment ? [`    environment: ${quoted(o.environment)}`] : []),
    '    # one deploy at a time',
    '    concurrency: deploy-group',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: superfly/flyctl-actions/setup-flyctl@master',
    `      - run: ${quoted(`flyctl deploy --remote-only${config}`)}`,
    '        env:',
    `          FLY_API_TOKEN: ${quoted(`\${{ secrets.${o.secretName} }}`)}`,
    '',
  ];
  return lines.join('\n');
}
