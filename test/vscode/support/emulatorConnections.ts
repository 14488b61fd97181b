// A `hang` fault leaves its response open until the emulator closes. The suite shares one emulator, so a test that
// injects a hang ends it by dropping the emulator's open connections instead (the client then sees a reset).
import * as assert from 'assert';
import type { Server } from 'http';
import type { Emulator } from '../../emulator';

export function releaseHangingRequests(emu: Emulator): void {
  // The emulator keeps its HTTP server private; reaching it here keeps the emulator's API unchanged.
  const server = (emu as unknown as { server?: Server }).server;
  assert.ok(server && typeof server.closeAllConnections === 'function', "the emulator's HTTP server is not where this helper expects it");
  server.closeAllConnections();
}
