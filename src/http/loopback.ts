// Where a credential may travel in clear: the one rule for every API URL the extension accepts.

const LOOPBACK_HOST = /^(127(?:\.\d{1,3}){3}|localhost|\[::1\])$/i;

/** 127.0.0.0/8, localhost or [::1] (as URL.hostname spells it). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOST.test(hostname);
}

/** https anywhere; plain http only to a loopback address, so a token never crosses a network in clear. */
export function isSafeApiUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/**
 * Whether a session made for `api` on machine `madeOn` may be used on machine `here`. A loopback address names a
 * different machine in a remote window (the extension host's) than in a local one, and the secret storage is shared
 * by both: a token made for `http://127.0.0.1:4000` here would otherwise be sent to whatever listens on that port
 * there. Any other API is the same server everywhere. A session that does not say where it was made (stored before
 * this was kept) belongs to no machine.
 */
export function sessionBelongsHere(api: string, madeOn: string | undefined, here: string): boolean {
  let host: string;
  try {
    host = new URL(api).hostname;
  } catch {
    return false;
  }
  return !isLoopbackHost(host) || madeOn === here;
}
