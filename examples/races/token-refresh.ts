/**
 * A token refresh stampede, written with plain `Promise.all` over async functions. Two requests
 * find the access token expired; each asks the auth server for a new one, and issuing a token
 * revokes the previous one. When the second request arrives late (two round trips later) it finds the
 * fresh token under equal latencies; when the first refresh is slow, both refresh, and the request
 * holding the first new token is rejected with 401.
 * @module
 */
import { io, type Loop } from '../../src/index.js';
import type { RaceExample } from './types.js';

function client(loop: Loop, shareRefresh: boolean) {
  let valid = 'tok-0';
  let issued = 0;
  let token: string | null = null;
  let refreshing: Promise<string> | null = null;
  const issue = io(
    async () => {
      valid = `tok-${++issued}`; // issuing a token revokes the one before
      return valid;
    },
    { latency: 0, name: 'issueToken' },
  );
  const callApi = io(async (t: string) => (t === valid ? 200 : 401), { latency: 0, name: 'callApi' });
  const arrive = io(async () => undefined, { latency: 0, name: 'arrive' });
  async function getToken(): Promise<string> {
    if (token !== null) return token;
    if (shareRefresh) {
      // The fix: every caller waits for the one refresh in flight.
      refreshing ??= issue().then((t) => (token = t));
      return refreshing;
    }
    token = await issue();
    loop.note(`refreshed: ${token}`);
    return token;
  }
  async function request(lateRoundTrips: number): Promise<number> {
    for (let i = 0; i < lateRoundTrips; i++) await arrive();
    return callApi(await getToken());
  }
  return () => Promise.all([request(0), request(2)]);
}

export const tokenRefresh: RaceExample<number[]> = {
  title: 'token refresh stampede',
  bug: 'both requests refresh the expired token; the second refresh revokes the first request’s token (401)',
  fix: 'share the refresh in flight instead of starting another',
  buggy: (loop) => client(loop, false)(),
  fixed: (loop) => client(loop, true)(),
  invariant: (codes) => codes.every((c) => c === 200) || `responses ${codes.join(', ')}`,
};
