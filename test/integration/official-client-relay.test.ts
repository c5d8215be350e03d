/**
 * The vendor's official client, every API class, against serpq as a gateway: a relay process in front
 * of a second serpq (the upstream), as a team whose code points every DataForSEO call at one base URL.
 * Every live endpoint and reference list method and every task method of the other APIs answers
 * 2xxxx through the relay, the tasks forwarded, run upstream and collected back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { basicAuth, callLiveMethods, callTaskMethods, liveMethods, taskMethods } from '../helpers/official-client-runs.js';
import { type RelayPair, admin, startRelayPair } from '../helpers/relay.js';
import { killAllServers } from '../helpers/server-process.js';

const UP_TOKEN = 'official-client-relay-upstream';
const RELAY_TOKEN = 'official-client-relay-relay';

let dir: string;
let pair: RelayPair;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'serpq-official-relay-'));
  pair = await startRelayPair({ dir, upToken: UP_TOKEN, relayToken: RELAY_TOKEN, upstreamTimeTravel: true });
  await admin(pair.relay, RELAY_TOKEN, 'PATCH', '/admin/accounts/team-b', {
    balance: 10_000,
    limits: { requests_per_minute: 1_000_000, concurrent_requests: 1000 },
  });
}, 60_000);
afterAll(async () => {
  await killAllServers();
  rmSync(dir, { recursive: true, force: true });
});

const team = () => basicAuth('team-b', 'team-b-secret');

it('every live and reference method of every API class answers 2xxxx through the relay', async () => {
  const endpoints = await liveMethods();
  expect(new Set(endpoints.map((e) => e.clientClass)).size).toBe(12);
  expect(await callLiveMethods(pair.relay.base, team(), endpoints)).toEqual([]);
}, 600_000);

it('every task method of the other APIs answers 2xxxx through the relay: forwarded, run upstream, collected', async () => {
  const endpoints = await taskMethods();
  const failures = await callTaskMethods(pair.relay.base, team(), endpoints, async () => {
    const { up, relay } = pair;
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/settle');
    // On-Page crawls take time upstream: its clock moves past them.
    await admin(up, UP_TOKEN, 'POST', '/admin/clock', { advance_seconds: 3600 });
    await admin(up, UP_TOKEN, 'POST', '/admin/settle');
    await admin(relay, RELAY_TOKEN, 'POST', '/admin/settle');
  });
  expect(failures).toEqual([]);
}, 600_000);
