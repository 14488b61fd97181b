// The GitHub Actions workflow that deploys with flyctl: where it goes, and which values may go into it. The text
// itself is written by workflowYaml.ts (loaded when a workflow is generated: it brings the YAML library).

export const WORKFLOW_PATH = '.github/workflows/fly-deploy.yml';

export interface WorkflowOptions {
  branch: string;
  secretName: string;
  /** fly.toml path relative to the repository root; omitted when it is ./fly.toml */
  configPath?: string;
  /** the GitHub environment holding the secret, when it is an environment secret */
  environment?: string;
}

/** Which value of a workflow request could change the workflow's meaning, if any (see `workflowProblem`). */
export type WorkflowField = 'branch' | 'secretName' | 'configPath' | 'environment';

// Control, invisible and text-direction characters, and line breaks of every kind: a value holding one could end
// a YAML comment or scalar and add keys of its own, or hide what the file says from the reviewer.
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/u;

/**
 * The first value that must not go into a workflow: any value with such characters or a GitHub expression (`${{`,
 * which Actions would evaluate inside `run:`), a branch with whitespace, a secret name GitHub would not accept.
 */
export function workflowProblem(o: WorkflowOptions): WorkflowField | undefined {
  const unsafe = (v: string | undefined) => v !== undefined && (HIDDEN.test(v) || v.includes('${{') || v.length > 255);
  if (unsafe(o.branch) || /\s/.test(o.branch) || o.branch === '') return 'branch';
  if (!/^(?![Gg][Ii][Tt][Hh][Uu][Bb]_)[A-Za-z_][A-Za-z0-9_]*$/.test(o.secretName) || o.secretName.length > 255) return 'secretName';
  if (unsafe(o.configPath)) return 'configPath';
  if (unsafe(o.environment) || o.environment === '') return 'environment';
  return undefined;
}

/** True when a file name in .github/workflows looks like a Fly deploy workflow. */
export function isFlyWorkflowName(fileName: string): boolean {
  return /fly/i.test(fileName) && /\.ya?ml$/i.test(fileName);
}
