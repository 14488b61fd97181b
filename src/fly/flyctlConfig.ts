// "Use flyctl's login": finds the token flyctl itself would use, from the environment or its config file.
import { promises as fs } from 'fs';
import * as path from 'path';
import { parseDocument, toJS } from '../http/yaml';

export interface FlyctlTokenSource {
  token: string;
  source: 'FLY_ACCESS_TOKEN' | 'FLY_API_TOKEN' | 'config';
  /** the config file the token came from (source 'config' only) */
  path?: string;
  /**
   * Config-file token whose `last_login` is missing or older than 30 days. flyctl refuses such a token and asks
   * for a new login; Fly may still accept it, so it is returned and the UI can warn.
   */
  stale?: boolean;
}

const MAX_LOGIN_AGE_MS = 30 * 24 * 60 * 60 * 1000;
const ENV_PRECEDENCE = ['FLY_ACCESS_TOKEN', 'FLY_API_TOKEN'] as const;
const RELOGIN_HINT = 'Run `fly auth login` in a terminal, or choose another way to sign in.';

/** Where flyctl keeps config.yml. */
export function flyctlConfigPath(env: NodeJS.ProcessEnv, homeDir: string): string {
  const dir = env.FLY_CONFIG_DIR ? env.FLY_CONFIG_DIR : path.join(homeDir, '.fly');
  return path.join(dir, 'config.yml');
}

/** The path as the user would write it: `~/…` inside the home directory. */
function displayPath(file: string, homeDir: string): string {
  const rel = path.relative(homeDir, file);
  return homeDir && rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? `~/${rel.split(path.sep).join('/')}` : file;
}

function loginTime(value: unknown): number | null {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'string') return null;
  // Go writes nanoseconds; Date.parse only understands up to milliseconds.
  const ms = Date.parse(value.trim().replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(ms) ? null : ms;
}

export async function findFlyctlToken(
  env: NodeJS.ProcessEnv,
  homeDir: string,
  now: Date = new Date(),
): Promise<FlyctlTokenSource | { error: string }> {
  // As flyctl: the first variable that is set wins even when empty, and an empty winner means "use the file".
  const winner = ENV_PRECEDENCE.find((name) => env[name] !== undefined);
  if (winner) {
    const value = env[winner] ?? '';
    if (value.trim()) return { token: value, source: winner };
  }

  const file = flyctlConfigPath(env, homeDir);
  const shown = displayPath(file, homeDir);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { error: `No flyctl login found: ${shown} does not exist. ${RELOGIN_HINT}` };
    }
    return { error: `Could not read ${shown} (${code ?? 'unknown error'}). Check its permissions, or choose another way to sign in.` };
  }

  let doc: unknown;
  try {
    // Both silenced (http/yaml.ts): a warning quotes the line it is about, which can hold the token. Warnings are
    // ignored; errors mean the file is broken.
    const parsed = parseDocument(text);
    if (parsed.errors.length > 0) throw new Error('invalid YAML');
    doc = toJS(parsed);
  } catch {
    // The parser's message quotes the file, and the file holds the token: say only that it is broken.
    return { error: `${shown} is not valid YAML, so flyctl's login cannot be read. ${RELOGIN_HINT}` };
  }
  if (doc !== null && doc !== undefined && (typeof doc !== 'object' || Array.isArray(doc))) {
    return { error: `${shown} is not a flyctl config file (expected key: value lines). ${RELOGIN_HINT}` };
  }
  const config = (doc ?? {}) as Record<string, unknown>;
  const token = config.access_token;
  if (typeof token !== 'string' || !token.trim()) {
    return { error: `No flyctl login found in ${shown} (it has no access_token). ${RELOGIN_HINT}` };
  }

  const loggedInAt = loginTime(config.last_login);
  const stale = loggedInAt === null || now.getTime() - loggedInAt > MAX_LOGIN_AGE_MS;
  return stale ? { token, source: 'config', path: file, stale: true } : { token, source: 'config', path: file };
}
