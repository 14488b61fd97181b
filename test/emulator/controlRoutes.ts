// Test-only endpoints under /__emulator/ so tests in another process (a browser UI test, VS Code) can steer the
// emulator. They bypass latency, faults and the request log.
import type { ServerResponse } from 'node:http';
import { faultProblem, type Fault } from './faults';
import { iso } from './resolvers';
import { sendJson } from './httpReply';
import type { EmulatorServer } from './server';

function parse(raw: string): Record<string, unknown> | null {
  if (raw.trim() === '') return {};
  try {
    const v: unknown = JSON.parse(raw);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function handleControl(emu: EmulatorServer, method: string, path: string, raw: string, res: ServerResponse): void {
  const route = `${method} ${path}`;
  if (route === 'GET /__emulator/requests') return sendJson(res, 200, emu.requests);
  if (route === 'DELETE /__emulator/requests') {
    emu.clearRequests();
    return sendJson(res, 200, { ok: true });
  }
  if (route === 'POST /__emulator/faults') {
    const body = parse(raw);
    if (!body) return sendJson(res, 400, { error: 'body must be a JSON object' });
    if (body.latencyMs !== undefined) {
      if (typeof body.latencyMs !== 'number' || body.latencyMs < 0) return sendJson(res, 400, { error: 'latencyMs must be a non-negative number' });
      emu.faults.latency(body.latencyMs);
    }
    if (body.fault !== undefined || body.count !== undefined) {
      const problem = faultProblem(body.fault, body.match);
      const count = body.count ?? 1;
      if (problem) return sendJson(res, 400, { error: problem });
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) return sendJson(res, 400, { error: 'count must be a positive integer' });
      emu.faults.next(count, body.fault as Fault, (body.match ?? undefined));
    }
    return sendJson(res, 200, { ok: true });
  }
  if (route === 'DELETE /__emulator/faults') {
    emu.faults.clear();
    return sendJson(res, 200, { ok: true });
  }
  if (route === 'POST /__emulator/reset') {
    emu.reset();
    return sendJson(res, 200, { ok: true });
  }
  if (route === 'GET /__emulator/tokens') {
    return sendJson(
      res,
      200,
      emu.world.tokens().map((t) => ({ ...t, createdAt: iso(t.createdAt), expiresAt: iso(t.expiresAt), revokedAt: iso(t.revokedAt) })),
    );
  }
  const m = /^POST \/__emulator\/cli_sessions\/([^/]+)\/approve$/.exec(route);
  if (m) {
    const body = parse(raw) ?? {};
    try {
      const email = typeof body.email === 'string' ? body.email : undefined;
      return sendJson(res, 200, emu.approveCliSession(decodeURIComponent(m[1]), email));
    } catch (e) {
      return sendJson(res, 404, { error: e instanceof Error ? e.message : String(e) });
    }
  }
  sendJson(res, 404, { error: `no control endpoint ${route}` });
}
