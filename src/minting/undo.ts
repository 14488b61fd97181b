import type { Deps } from '../deps';
import type { CreatedToken } from '../fly/types';

/**
 * Revokes a token just minted for a place it never reached, and shows it revoked. Undefined when that worked,
 * else why it did not (the token is then still valid).
 */
export async function revokeUnused(deps: Deps, created: CreatedToken): Promise<string | undefined> {
  const [outcome] = await deps
    .client()
    .revokeTokens([created.id])
    .catch((err: unknown) => [{ id: created.id, ok: false as const, error: err instanceof Error ? err : new Error(String(err)) }]);
  if (outcome?.ok) {
    deps.model.recordRevoked([created.id], (await deps.auth.account())?.email ?? '');
    return undefined;
  }
  return outcome && !outcome.ok ? outcome.error.message : '';
}
