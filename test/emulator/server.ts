// The emulator process: one plain Node HTTP server on 127.0.0.1 serving GraphQL, the login endpoints and the
// test-only control endpoints, with latency, faults and the request log applied to everything but the latter.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import { authShape, authenticate, redactAuthorization } from './auth';
import { CliSessions } from './cliSessions';
import { handleControl } from './controlRoutes';
import { sendHtml, sendJson } from './httpReply';
import { applyFault, faultLabel, Faults, type Fault, type FaultMatch } from './faults';
import { executableSchema } from './graphqlSchema';
import { readGraphqlBody, runGraphql, type GraphqlBody } from './graphqlRequest';
import { userAuthToken } from './ids';
import { approvalPage, codePage, donePage, notFoundPage } from './loginPages';
import { RequestLog, scrub, scrubVariables, type LoggedRequest } from './requestLog';
import { SUBSET_SDL } from './schema';
import { DEFAULT_MODES, UNAUTHORIZED_MESSAGE, complexityMessage, documentComplexity, tokenNodeCount, type EmulatorModes } from './modes';
import { DEMO_EMAIL, seedDefaultWorld } from './seed';
import { World } from './world';

export interface EmulatorOptions {
  /** 0 = a free port */
  port?: number;
  /** another SDL to serve, e.g. Fly's full schema.graphql */
  schemaPath?: string;
  /** JSON-lines request log */
  logFile?: string;
  /** the demo user's auth token (random `fo1_…` otherwise) */
  token?: string;
  /** default page size of connections (25) */
  pageSize?: number;
  /** start with the default world (true) */
  seed?: boolean;
  /** answer login sessions without PKCE, as an old server would */
  legacyLogin?: boolean;
  latencyMs?: number;
  /** where Fly's behaviour is unknown, which way to answer (modes.ts); the rest keep their defaults */
  modes?: Partial<EmulatorModes>;
}

export interface Emulator {
  readonly url: string;
  readonly demoToken: string;
  readonly world: World;
  readonly requests: LoggedRequest[];
  graphqlRequests(): LoggedRequest[];
  clearRequests(): void;
  faults: {
    latency(ms: number): void;
    next(count: number, fault: Fault, match?: FaultMatch): void;
    clear(): void;
  };
  approveCliSession(id: string, email?: string): { code: string; redirectUrl: string | null };
  /** the answering modes in force; assign to change them (reset() restores the options' modes) */
  modes: EmulatorModes;
  reset(): void;
  close(): Promise<void>;
}

const MAX_BODY = 1_000_000;

type ExtraError = { message: string; path?: (string | number)[] };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function jsonObject(raw: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(raw);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export class EmulatorServer implements Emulator {
  readonly demoToken: string;
  readonly requests: LoggedRequest[];
  readonly sessions = new CliSessions();
  readonly faultQueue = new Faults();
  readonly faults: Emulator['faults'];
  private currentWorld = new World();
  private readonly log: RequestLog;
  private readonly schema: GraphQLSchema;
  private readonly server: Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  private address = '';
  modes: EmulatorModes;

  constructor(private readonly opts: EmulatorOptions = {}) {
    this.demoToken = opts.token ?? userAuthToken();
    this.schema = executableSchema(opts.schemaPath ? readFileSync(opts.schemaPath, 'utf8') : SUBSET_SDL);
    this.log = new RequestLog(opts.logFile);
    this.requests = this.log.entries;
    this.faultQueue.latencyMs = opts.latencyMs ?? 0;
    this.faults = {
      latency: (ms) => {
        if (!(ms >= 0)) throw new Error('latency must be a non-negative number of milliseconds');
        this.faultQueue.latencyMs = ms;
      },
      next: (count, fault, match) => this.faultQueue.next(count, fault, match),
      clear: () => this.faultQueue.clear(),
    };
    this.modes = { ...DEFAULT_MODES, ...opts.modes };
    this.seedWorld();
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { errors: [{ message: `emulator error: ${scrub(String(e))}` }] });
      });
    });
  }

  get url(): string {
    return this.address;
  }

  get world(): World {
    return this.currentWorld;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port ?? 0, '127.0.0.1', () => {
        const { port } = this.server.address() as AddressInfo;
        this.address = `http://127.0.0.1:${port}`;
        resolve();
      });
    });
  }

  graphqlRequests(): LoggedRequest[] {
    return this.requests.filter((r) => r.path === '/graphql');
  }

  clearRequests(): void {
    this.log.clear();
  }

  approveCliSession(id: string, email = DEMO_EMAIL): { code: string; redirectUrl: string | null } {
    const user = this.currentWorld.user(email);
    if (!user) throw new Error(`no user ${email}`);
    return this.sessions.approve(id, email, user.token);
  }

  reset(): void {
    this.currentWorld = new World();
    this.seedWorld();
    this.log.clear();
    this.faultQueue.clear();
    this.faultQueue.latencyMs = this.opts.latencyMs ?? 0;
    this.sessions.clear();
    this.modes = { ...DEFAULT_MODES, ...this.opts.modes };
  }

  close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      // Ends hanging and keep-alive connections so close() cannot wait forever.
      this.server.closeAllConnections();
    });
  }

  private seedWorld(): void {
    if (this.opts.seed !== false) seedDefaultWorld(this.currentWorld, this.demoToken);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    let raw: string;
    try {
      raw = await readBody(req);
    } catch {
      sendJson(res, 413, { errors: [{ message: 'Request body too large' }] });
      return;
    }
    if (path.startsWith('/__emulator/')) {
      handleControl(this, method, path, raw, res);
      return;
    }

    const gql = path === '/graphql' && method === 'POST' ? readGraphqlBody(raw) : null;
    const body: GraphqlBody | null = gql && gql.ok ? gql.body : null;
    const entry = this.log.add({
      time: new Date().toISOString(),
      method,
      path,
      operationName: body ? body.operationName : null,
      query: body ? scrub(body.query) : null,
      variables: body ? scrubVariables(body.variables) : null,
      authorization: redactAuthorization(req.headers.authorization),
      authShape: authShape(req.headers.authorization),
      status: null,
    });

    if (this.faultQueue.latencyMs > 0) await this.sleep(this.faultQueue.latencyMs);
    const fault = this.faultQueue.take(path, body ? body.operationType : null, body ? body.variables : null);
    let extraError: ExtraError | undefined;
    if (fault && 'kind' in fault && fault.kind === 'extra-error') {
      // Runs normally, then adds an error to the answer (e.g. a create that returns its token and an error).
      entry.fault = faultLabel(fault);
      extraError = fault;
    } else if (fault) {
      entry.fault = faultLabel(fault);
      entry.status = applyFault(res, fault);
      this.log.finish(entry);
      return;
    }

    if (path === '/graphql') await this.graphql(req, res, method, gql, extraError);
    else this.login(res, method, path, url, raw);
    entry.status = res.statusCode;
    this.log.finish(entry);
  }

  private async graphql(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    gql: ReturnType<typeof readGraphqlBody> | null,
    extraError: ExtraError | undefined,
  ): Promise<void> {
    if (method !== 'POST' || !gql) {
      sendJson(res, 405, { errors: [{ message: 'Use POST for /graphql' }] }, { allow: 'POST' });
      return;
    }
    const auth = authenticate(this.currentWorld, req.headers.authorization, Date.now(), this.modes.ssoOrgs);
    // An unverifiable token is refused before the document is looked at, like an auth middleware would.
    if (auth.kind === 'invalid') {
      if (this.modes.unauthorized === 'http401') sendJson(res, 401, { errors: [{ message: 'unauthorized' }] });
      else sendJson(res, 200, { data: null, errors: [{ message: UNAUTHORIZED_MESSAGE, extensions: { code: 'UNAUTHORIZED' } }] });
      return;
    }
    if (!gql.ok) {
      sendJson(res, 400, { errors: [{ message: gql.message }] });
      return;
    }
    if (this.modes.maxComplexity > 0 && gql.body.document) {
      const complexity = documentComplexity(gql.body.document, gql.body.operationName);
      if (complexity > this.modes.maxComplexity) {
        // graphql-ruby checks complexity before running anything: no data key at all.
        sendJson(res, 200, { errors: [{ message: complexityMessage(complexity, this.modes.maxComplexity) }] });
        return;
      }
    }
    const result = await runGraphql(this.schema, gql.body, {
      world: this.currentWorld,
      principal: auth.kind === 'ok' ? auth.principal : null,
      pageSize: this.opts.pageSize ?? 25,
      now: Date.now(),
      revealed: new Set(),
      modes: this.modes,
    });
    const limit = this.modes.gatewayTimeoutAboveTokens;
    if (limit > 0 && gql.body.operationType === 'query' && tokenNodeCount(result.data) > limit) {
      // A gateway in front of the API gave up waiting: no GraphQL answer at all, whatever ran behind it.
      res.writeHead(504, { 'content-type': 'text/plain' }).end('upstream request timeout');
      return;
    }
    if (extraError) {
      const errors = Array.isArray(result.errors) ? (result.errors as unknown[]) : [];
      result.errors = [...errors, { message: extraError.message, ...(extraError.path ? { path: extraError.path } : {}) }];
    }
    sendJson(res, 200, result);
  }

  private login(res: ServerResponse, method: string, path: string, url: URL, raw: string): void {
    if (path === '/api/v1/cli_sessions' && method === 'POST') {
      const body = jsonObject(raw);
      if (!body) return sendJson(res, 400, { error: 'invalid JSON body' });
      const session = this.sessions.create(body, this.opts.legacyLogin === true);
      const authUrl = this.modes.hostileAuthUrl ?? `${this.address}/app/auth/cli/${session.id}`;
      return sendJson(res, 201, { id: session.id, auth_url: authUrl, pkce: session.pkce });
    }
    let m = /^\/api\/v1\/cli_sessions\/([^/]+)\/redeem$/.exec(path);
    if (m && method === 'POST') {
      const answer = this.sessions.redeem(decodeURIComponent(m[1]), jsonObject(raw) ?? {});
      return sendJson(res, answer.status, answer.body);
    }
    m = /^\/api\/v1\/cli_sessions\/([^/]+)$/.exec(path);
    if (m && method === 'GET') {
      const answer = this.sessions.poll(decodeURIComponent(m[1]));
      return sendJson(res, answer.status, answer.body);
    }
    m = /^\/app\/auth\/cli\/([^/]+)$/.exec(path);
    if (m) {
      const session = this.sessions.get(decodeURIComponent(m[1]));
      if (!session || session.consumed) return sendHtml(res, 404, notFoundPage());
      const emails = this.currentWorld.users().map((u) => u.email);
      if (method === 'GET') return sendHtml(res, 200, approvalPage(session, emails, emails.includes(DEMO_EMAIL) ? DEMO_EMAIL : emails[0] ?? ''));
      if (method === 'POST') {
        const email = new URLSearchParams(raw).get('email') ?? url.searchParams.get('email') ?? DEMO_EMAIL;
        if (!this.currentWorld.user(email)) return sendHtml(res, 400, notFoundPage());
        const { code, redirectUrl } = this.approveCliSession(session.id, email);
        if (redirectUrl) {
          res.writeHead(303, { location: redirectUrl }).end();
          return;
        }
        return sendHtml(res, 200, session.pkce ? codePage(code) : donePage());
      }
    }
    sendJson(res, 404, { error: 'Not Found' });
  }
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = new EmulatorServer(opts);
  await emulator.listen();
  return emulator;
}
