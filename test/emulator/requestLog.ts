// What the emulator remembers of each request: enough to assert on counts, documents and variables, never a token.
import { appendFileSync } from 'node:fs';

export interface LoggedRequest {
  time: string;
  method: string;
  path: string;
  operationName: string | null;
  query: string | null;
  variables: Record<string, unknown> | null;
  /** scheme only: "FlyV1 <redacted>", "Bearer <redacted>", "Bearer", or "" */
  authorization: string;
  /** what kind each part of the header was, in order, never a token: `['fm2', 'fm2', 'fo1']` (see authShape) */
  authShape: string[];
  /** null while pending, or when the socket was dropped without an answer */
  status: number | null;
  fault?: string;
}

// Anything shaped like a Fly credential, wherever it appears in logged text.
const SECRET = /\b(?:fm1r|fm1a|fm2|fo1)_[A-Za-z0-9+/=_-]+/g;

export function scrub(text: string): string {
  return text.replace(SECRET, '<redacted>');
}

function scrubValue(value: unknown): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map(scrubValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubValue(v)]));
  }
  return value;
}

export function scrubVariables(variables: Record<string, unknown> | null): Record<string, unknown> | null {
  return variables === null ? null : (scrubValue(variables) as Record<string, unknown>);
}

export class RequestLog {
  readonly entries: LoggedRequest[] = [];

  constructor(private readonly file: string | undefined) {}

  add(entry: LoggedRequest): LoggedRequest {
    this.entries.push(entry);
    return entry;
  }

  /** Writes the finished entry as one JSON line to the log file, if there is one. */
  finish(entry: LoggedRequest): void {
    if (this.file) appendFileSync(this.file, JSON.stringify(entry) + '\n');
  }

  clear(): void {
    this.entries.length = 0;
  }
}
