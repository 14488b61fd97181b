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
