// The GitHub Actions workflow that deploys with flyctl. Pure text generation.

export const WORKFLOW_PATH = '.github/workflows/fly-deploy.yml';

export interface WorkflowOptions {
  branch: string;
  secretName: string;
  /** fly.toml path relative to the repository root; omitted when it is ./fly.toml */
  configPath?: string;
  /** the GitHub environment holding the secret, when it is an environment secret */
  environment?: string;
}

/** A branch or environment name as a YAML scalar: plain when safe, double-quoted otherwise. */
function yamlScalar(s: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(s) && !/^(true|false|yes|no|on|off|null|~)$/i.test(s) ? s : JSON.stringify(s);
}

/** A path as one shell word. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9._/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function deployWorkflow(o: WorkflowOptions): string {
  const config = o.configPath && o.configPath !== 'fly.toml' ? ` --config ${shellWord(o.configPath)}` : '';
  const lines = [
    `# Deploys to Fly.io on every push to ${o.branch}.`,
    `# Needs the GitHub Actions secret ${o.secretName}: a Fly.io deploy token (fly tokens create deploy).`,
    'name: Fly Deploy',
    'on:',
    '  push:',
    '    branches:',
    `      - ${yamlScalar(o.branch)}`,
    'jobs:',
    '  deploy:',
    '    name: Deploy app',
    '    runs-on: ubuntu-latest',
    ...(o.environment ? [`    environment: ${yamlScalar(o.environment)}`] : []),
    '    # one deploy at a time',
    '    concurrency: deploy-group',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: superfly/flyctl-actions/setup-flyctl@master',
    `      - run: flyctl deploy --remote-only${config}`,
    '        env:',
    `          FLY_API_TOKEN: \${{ secrets.${o.secretName} }}`,
    '',
  ];
  return lines.join('\n');
}

/** True when a file name in .github/workflows looks like a Fly deploy workflow. */
export function isFlyWorkflowName(fileName: string): boolean {
  return /fly/i.test(fileName) && /\.ya?ml$/i.test(fileName);
}
