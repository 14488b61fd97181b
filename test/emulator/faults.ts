// Injected failures: a per-request latency and a queue of "the next N matching answers are broken like this".
import type { ServerResponse } from 'node:http';

export type FaultStatus = 401 | 403 | 404 | 413 | 429 | 500 | 502 | 503;
export type Fault =
  | { status: FaultStatus; retryAfter?: number }
  | { kind: 'html' | 'malformed-json' | 'truncated' | 'reset' | 'hang' }
  | { kind: 'graphql-error'; message: string }
  /** answers normally, with this error added to `errors` (e.g. a create that returns its token and an error) */
  | { kind: 'extra-error'; message: string; path?: (string | number)[] };
export interface FaultMatch {
  operation?: 'query' | 'mutation';
  path?: string;
  /** GraphQL variables the request must carry (each given key equal, compared as JSON), e.g. `{slug: 'acme'}` */
  variables?: Record<string, unknown>;
}

interface Pending {
  remaining: number;
  fault: Fault;
  match: FaultMatch;
}

const STATUSES = new Set<number>([401, 403, 404, 413, 429, 500, 502, 503]);
const KINDS = new Set(['html', 'malformed-json', 'truncated', 'reset', 'hang', 'graphql-error', 'extra-error']);

/** Checks a fault that arrived as JSON (control endpoint); returns an error message or null. */
export function faultProblem(fault: unknown, match: unknown): string | null {
  if (fault === null || typeof fault !== 'object') return 'fault must be an object';
  const f = fault as Record<string, unknown>;
  if ('status' in f) {
    if (!STATUSES.has(Number(f.status))) return `status must be one of ${[...STATUSES].join(', ')}`;
    if (f.retryAfter !== undefined && (typeof f.retryAfter !== 'number' || f.retryAfter < 0)) return 'retryAfter must be a non-negative number';
  } else if (!KINDS.has(String(f.kind))) {
    return `kind must be one of ${[...KINDS].join(', ')}`;
  } else if ((f.kind === 'graphql-error' || f.kind === 'extra-error') && typeof f.message !== 'string') {
    return `${String(f.kind)} needs a message`;
  } else if (f.kind === 'extra-error' && f.path !== undefined && !(Array.isArray(f.path) && f.path.every((p) => typeof p === 'string' || typeof p === 'number'))) {
    return 'extra-error path must be an array of strings and numbers';
  }
  if (match !== undefined && match !== null) {
    if (typeof match !== 'object') return 'match must be an object';
    const m = match as Record<string, unknown>;
    if (m.operation !== undefined && m.operation !== 'query' && m.operation !== 'mutation') return 'match.operation must be "query" or "mutation"';
    if (m.path !== undefined && typeof m.path !== 'string') return 'match.path must be a string';
    if (m.variables !== undefined && (m.variables === null || typeof m.variables !== 'object' || Array.isArray(m.variables))) {
      return 'match.variables must be an object';
    }
  }
  return null;
}

export function faultLabel(fault: Fault): string {
  return 'status' in fault ? String(fault.status) : fault.kind;
}

export class Faults {
  latencyMs = 0;
  private queue: Pending[] = [];

  next(count: number, fault: Fault, match: FaultMatch = {}): void {
    if (!Number.isInteger(count) || count < 1) throw new Error('count must be a positive integer');
    this.queue.push({ remaining: count, fault, match });
  }

  clear(): void {
    this.queue = [];
    this.latencyMs = 0;
  }

  /** The fault for this request, if any; counts it down. Earlier-registered faults win. */
  take(path: string, operation: string | null, variables: Record<string, unknown> | null = null): Fault | null {
    const sameVariables = (want: Record<string, unknown> | undefined): boolean =>
      want === undefined || Object.entries(want).every(([k, v]) => JSON.stringify(variables?.[k]) === JSON.stringify(v));
    const i = this.queue.findIndex(
      (p) =>
        (p.match.path === undefined || p.match.path === path) &&
        (p.match.operation === undefined || p.match.operation === operation) &&
        sameVariables(p.match.variables),
    );
    if (i < 0) return null;
    const pending = this.queue[i];
    pending.remaining -= 1;
    if (pending.remaining === 0) this.queue.splice(i, 1);
    return pending.fault;
  }
}

const STATUS_BODIES: Record<FaultStatus, unknown> = {
  401: { errors: [{ message: 'unauthorized' }] },
  403: { errors: [{ message: 'forbidden' }] },
  404: { error: 'Not Found' },
  413: { error: 'Request Entity Too Large' },
  429: { errors: [{ message: 'Rate limit exceeded, please retry later' }] },
  500: { errors: [{ message: 'Internal server error' }] },
  502: { errors: [{ message: 'Bad gateway' }] },
  503: { errors: [{ message: 'Service unavailable, please retry later' }] },
};

const HTML_PAGE = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><h1>502 Bad Gateway</h1><p>The server could not answer your request. Please try again in a few seconds.</p></body></html>
`;

/**
 * Answers with the fault. Returns the status written (null when no response is sent).
 * `hang` leaves the response open: the caller keeps it so close() can end it.
 */
export function applyFault(res: ServerResponse, fault: Fault): number | null {
  if ('status' in fault) {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (fault.status === 429) headers['retry-after'] = String(fault.retryAfter ?? 1);
    else if (fault.status === 503 && fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
    res.writeHead(fault.status, headers).end(JSON.stringify(STATUS_BODIES[fault.status]));
    return fault.status;
  }
  switch (fault.kind) {
    case 'html':
      res.writeHead(502, { 'content-type': 'text/html; charset=utf-8' }).end(HTML_PAGE);
      return 502;
    case 'malformed-json':
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"data": {"app": {"id": "');
      return 200;
    case 'truncated': {
      const body = JSON.stringify({ data: { viewer: { email: 'partial' } } });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length + 200) });
      res.write(body.slice(0, Math.floor(body.length / 2)), () => res.destroy());
      return 200;
    }
    case 'reset':
      res.socket?.destroy();
      return null;
    case 'hang':
      return null;
    case 'extra-error':
      // handled by the server, which runs the request first
      return null;
    case 'graphql-error':
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ data: null, errors: [{ message: fault.message }] }));
      return 200;
  }
}
