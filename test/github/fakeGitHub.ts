// A fake GitHub REST API on 127.0.0.1 for the secret endpoints. It holds a real Curve25519 key pair per repository
// and environment and opens what it receives with libsodium itself (crypto_box_seal_open), so a test proves that
// the extension's own sealing (tweetnacl + blake2b) is the sealed box GitHub expects, and can compare the stored
// plaintext with the token Fly minted.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import sodium from 'libsodium-wrappers';

export interface FakeRequest {
  method: string;
  path: string;
  status: number;
  /** the Bearer token was one the fake accepts (the token itself is never logged) */
  authorized: boolean;
  accept: string | undefined;
  apiVersion: string | undefined;
  userAgent: string | undefined;
}

export interface FakeFaultMatch {
  method?: string;
  /** a substring of the path, or a pattern */
  path?: string | RegExp;
}

interface KeyPair {
  keyId: string;
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

interface SecretStore {
  key: KeyPair;
  /** name (upper case) -> decrypted value */
  values: Map<string, string>;
}

/** GitHub's repository roles, weakest first. */
export type RepoPermission = 'read' | 'triage' | 'write' | 'maintain' | 'admin';
const ROLES: RepoPermission[] = ['read', 'triage', 'write', 'maintain', 'admin'];

interface RepoRecord {
  fullName: string;
  defaultBranch: string;
  permission: RepoPermission;
  repoSecrets: SecretStore;
  environments: Map<string, SecretStore>;
}

export interface FakeGitHub {
  readonly url: string;
  /** a token the fake accepts, with the `repo` scope */
  readonly token: string;
  readonly requests: FakeRequest[];
  /**
   * `permission`: the signed-in user's role (default admin). As GitHub documents for the Actions secrets endpoints,
   * write (collaborator) access is enough to read the public key and set a secret; read and triage get 403.
   */
  addRepo(fullName: string, o?: { environments?: string[]; defaultBranch?: string; permission?: RepoPermission }): void;
  /** another accepted token, e.g. one without the `repo` scope */
  addToken(scopes: string[]): string;
  /** the decrypted value stored under `name`, or undefined */
  secret(fullName: string, name: string, environment?: string): string | undefined;
  secretNames(fullName: string, environment?: string): string[];
  /** the next `count` matching requests get this status instead of being served */
  failNext(count: number, status: number, match?: FakeFaultMatch, headers?: Record<string, string>): void;
  reset(): void;
  close(): Promise<void>;
}

function keyPair(): KeyPair {
  const kp = sodium.crypto_box_keypair();
  return { keyId: String(randomBytes(6).readUIntBE(0, 6)), publicKey: kp.publicKey, privateKey: kp.privateKey };
}

function store(): SecretStore {
  return { key: keyPair(), values: new Map() };
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  const headers: Record<string, string> = { 'x-github-api-version-selected': '2022-11-28' };
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  headers['content-type'] = 'application/json; charset=utf-8';
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const MESSAGES: Record<number, string> = {
  401: 'Bad credentials',
  403: 'Resource not accessible by integration',
  404: 'Not Found',
  422: 'Validation Failed',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export async function startFakeGitHub(): Promise<FakeGitHub> {
  await sodium.ready;
  const tokens = new Map<string, string[]>();
  const newToken = (scopes: string[]) => {
    const t = `gho_fake${randomBytes(18).toString('hex')}`;
    tokens.set(t, scopes);
    return t;
  };
  const token = newToken(['repo', 'read:user']);
  const repos = new Map<string, RepoRecord>();
  const requests: FakeRequest[] = [];
  let faults: { remaining: number; status: number; match: FakeFaultMatch; headers: Record<string, string> }[] = [];

  const matches = (m: FakeFaultMatch, method: string, path: string) =>
    (!m.method || m.method.toUpperCase() === method) && (!m.path || (typeof m.path === 'string' ? path.includes(m.path) : m.path.test(path)));

  async function route(req: IncomingMessage, method: string, path: string, scopes: string[]): Promise<[number, unknown?]> {
    if (method === 'GET' && path === '/user') return [200, { login: 'octo-dev', id: 1 }];
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) return [404, { message: 'Not Found' }];
    const repo = repos.get(`${decodeURIComponent(m[1])}/${decodeURIComponent(m[2])}`.toLowerCase());
    if (!repo) return [404, { message: 'Not Found' }];
    const rest = m[3] ?? '';
    if (method === 'GET' && rest === '') {
      const at = (role: RepoPermission) => ROLES.indexOf(repo.permission) >= ROLES.indexOf(role);
      const permissions = { admin: at('admin'), maintain: at('maintain'), push: at('write'), triage: at('triage'), pull: true };
      return [200, { full_name: repo.fullName, default_branch: repo.defaultBranch, permissions }];
    }
    if (method === 'GET' && rest === '/environments') {
      const list = [...repo.environments.keys()].map((name, i) => ({ id: i + 1, name }));
      return [200, { total_count: list.length, environments: list }];
    }
    const s = /^(?:\/actions|\/environments\/([^/]+))\/secrets\/([^/]+)$/.exec(rest);
    if (!s) return [404, { message: 'Not Found' }];
    const target = s[1] === undefined ? repo.repoSecrets : repo.environments.get(decodeURIComponent(s[1]));
    if (!target) return [404, { message: 'Not Found' }];
    const canWrite = ROLES.indexOf(repo.permission) >= ROLES.indexOf('write');
    if (!scopes.includes('repo') || !canWrite) return [403, { message: 'Resource not accessible by integration' }];
    const name = decodeURIComponent(s[2]);
    if (method === 'GET' && name === 'public-key') {
      return [200, { key_id: target.key.keyId, key: sodium.to_base64(target.key.publicKey, sodium.base64_variants.ORIGINAL) }];
    }
    if (method !== 'PUT') return [404, { message: 'Not Found' }];
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /^GITHUB_/i.test(name)) return [422, { message: 'Secret names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_).' }];
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch {
      return [400, { message: 'Problems parsing JSON' }];
    }
    if (typeof body.encrypted_value !== 'string' || typeof body.key_id !== 'string') return [422, { message: 'Invalid request.' }];
    if (body.key_id !== target.key.keyId) return [422, { message: 'Bad request - key_id does not match.' }];
    let plain: string;
    try {
      const sealed = sodium.from_base64(body.encrypted_value, sodium.base64_variants.ORIGINAL);
      plain = sodium.to_string(sodium.crypto_box_seal_open(sealed, target.key.publicKey, target.key.privateKey));
    } catch {
      return [422, { message: 'Bad request - the encrypted value could not be decrypted.' }];
    }
    const upper = name.toUpperCase();
    const existed = target.values.has(upper);
    target.values.set(upper, plain);
    return [existed ? 204 : 201, existed ? undefined : {}];
  }

  const server = createServer((req, res) => {
    void (async () => {
      const method = (req.method ?? 'GET').toUpperCase();
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path = url.pathname.replace(/\/+$/, '') || '/';
      const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      const scopes = auth ? tokens.get(auth[1]) : undefined;
      const log = (status: number) =>
        requests.push({
          method,
          path,
          status,
          authorized: !!scopes,
          accept: req.headers.accept,
          apiVersion: req.headers['x-github-api-version'] as string | undefined,
          userAgent: req.headers['user-agent'],
        });
      const fault = faults.find((f) => f.remaining > 0 && matches(f.match, method, path));
      if (fault) {
        fault.remaining--;
        faults = faults.filter((f) => f.remaining > 0);
        log(fault.status);
        for (const [k, v] of Object.entries(fault.headers)) res.setHeader(k, v);
        // GitHub's secondary rate limit: 403 (or 429) with this message, often with retry-after (docs: rate limits).
        const secondary = (fault.status === 403 || fault.status === 429) && Object.keys(fault.headers).some((k) => k.toLowerCase() === 'retry-after');
        const message = secondary ? 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' : MESSAGES[fault.status];
        return send(res, fault.status, { message: message ?? 'Injected failure' });
      }
      if (!scopes) {
        log(401);
        return send(res, 401, { message: 'Bad credentials' });
      }
      const [status, body] = await route(req, method, path, scopes);
      log(status);
      res.setHeader('x-oauth-scopes', scopes.join(', '));
      send(res, status, body);
    })().catch(() => {
      if (!res.headersSent) send(res, 500, { message: 'fake error' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const findStore = (fullName: string, environment?: string) => {
    const repo = repos.get(fullName.toLowerCase());
    if (!repo) throw new Error(`the fake has no repository ${fullName}`);
    return environment === undefined ? repo.repoSecrets : repo.environments.get(environment);
  };

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    addRepo(fullName, o = {}) {
      repos.set(fullName.toLowerCase(), {
        fullName,
        defaultBranch: o.defaultBranch ?? 'main',
        permission: o.permission ?? 'admin',
        repoSecrets: store(),
        environments: new Map((o.environments ?? []).map((e) => [e, store()])),
      });
    },
    addToken: newToken,
    secret: (fullName, name, environment) => findStore(fullName, environment)?.values.get(name.toUpperCase()),
    secretNames: (fullName, environment) => [...(findStore(fullName, environment)?.values.keys() ?? [])],
    failNext(count, status, match = {}, headers = {}) {
      faults.push({ remaining: count, status, match, headers });
    },
    reset() {
      repos.clear();
      requests.length = 0;
      faults = [];
      for (const t of [...tokens.keys()]) if (t !== token) tokens.delete(t);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
