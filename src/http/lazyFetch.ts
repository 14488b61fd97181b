// Fetch through node-fetch, loaded on the first request instead of when the extension activates.
import type { RequestInit, Response } from 'node-fetch';

export async function lazyFetch(url: string, init?: RequestInit): Promise<Response> {
  const { fetch } = await import('./nodeFetch');
  return fetch(url, init);
}
