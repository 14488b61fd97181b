// Relay-style connections as Fly's GraphQL (graphql-ruby) serves them: cursors are base64 of a 1-based offset,
// a missing `first`/`last` gives the default page size, anything over the maximum is silently clamped.

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { startCursor: string | null; endCursor: string | null; hasNextPage: boolean; hasPreviousPage: boolean };
  totalCount: number;
}

export const MAX_PAGE_SIZE = 100;

export function encodeCursor(position: number): string {
  return Buffer.from(String(position)).toString('base64url');
}

function decodeCursor(cursor: string, total: number): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const n = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > total + 1) throw new Error(`Invalid cursor: ${JSON.stringify(cursor)}`);
  return n;
}

export function paginate<T>(items: readonly T[], args: PageArgs, defaultSize: number, maxSize = MAX_PAGE_SIZE): Connection<T> {
  for (const key of ['first', 'last'] as const) {
    const v = args[key];
    if (v !== undefined && v !== null && v < 0) throw new Error(`Argument '${key}' must be a non-negative number`);
  }
  const total = items.length;
  let start = args.after ? decodeCursor(args.after, total) : 0;
  let end = args.before ? Math.max(decodeCursor(args.before, total) - 1, 0) : total;
  if (start > end) start = end;
  const hasFirst = args.first !== undefined && args.first !== null;
  const hasLast = args.last !== undefined && args.last !== null;
  if (hasFirst) end = Math.min(end, start + Math.min(args.first as number, maxSize));
  if (hasLast) start = Math.max(start, end - Math.min(args.last as number, maxSize));
  if (!hasFirst && !hasLast) end = Math.min(end, start + Math.min(defaultSize, maxSize));
  const nodes = items.slice(start, end);
  const edges = nodes.map((node, i) => ({ cursor: encodeCursor(start + i + 1), node }));
  return {
    edges,
    nodes,
    pageInfo: {
      startCursor: edges.length ? edges[0].cursor : null,
      endCursor: edges.length ? edges[edges.length - 1].cursor : null,
      hasNextPage: end < total,
      hasPreviousPage: start > 0,
    },
    totalCount: total,
  };
}
