// node-fetch on its own: the bundle builds this as a separate file (see esbuild.mjs), loaded by lazyFetch.ts.
import nodeFetch from 'node-fetch';

export const fetch = nodeFetch;
