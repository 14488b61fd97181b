// What a command was invoked with: a tree row (from the view), a plain value (from another command or a test),
// or nothing (from the palette).
import type { TokenRecord } from '../model/listing';
import { AppNode, TokenNode } from '../tree/nodes';

/** The app a command is for, when its argument names one. */
export function appArg(arg: unknown): string | undefined {
  return arg instanceof AppNode ? arg.appName : typeof arg === 'string' ? arg : undefined;
}

/**
 * The tokens a command is for: the selection when there is one, else the row (or record) it was invoked on. Rows
 * from the last session's listing are left out (the command then asks, from fresh data).
 */
export function tokenArgs(node: unknown, selection?: unknown): TokenRecord[] {
  const args: unknown[] = Array.isArray(selection) && selection.length > 0 ? selection : node ? [node] : [];
  return args.flatMap((a) => (a instanceof TokenNode ? [a.record] : isTokenRecord(a) ? [a] : [])).filter((r) => !r.stale);
}

function isTokenRecord(v: unknown): v is TokenRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<TokenRecord>;
  return typeof r.token?.id === 'string' && typeof r.token.name === 'string' && typeof r.owner === 'object' && typeof r.state === 'string';
}
