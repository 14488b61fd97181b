// Redirects are never followed: Fly's and GitHub's APIs don't redirect, and following one would carry the
// Authorization header to another port or subdomain, replay a mutation (307/308) or turn a POST into a GET (302).

/** Every request is made with this: a 3xx comes back as an answer, which `redirectHost` turns into an error. */
export const NO_REDIRECTS = 'manual' as const;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * For a redirect answer, the host it pointed to (or a phrase saying it named none); undefined for any other status.
 * node-fetch resolves `Location` against the request's URL, so a relative one names the request's own host.
 */
export function redirectHost(status: number, location: string | null | undefined, requestUrl: string): string | undefined {
  if (!REDIRECT_STATUSES.has(status)) return undefined;
  if (!location) return 'no address';
  try {
    return new URL(location, requestUrl).host || 'no address';
  } catch {
    return 'an address that is not a URL';
  }
}
