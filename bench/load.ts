import { Agent, request } from 'node:http';
import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import { cpuTimeMs } from './proc.js';
import { percentile } from './stats.js';

/** Load generation: autocannon runs (throughput) and sequential requests (latency). */

export interface LoadRun {
  /** Completed requests per second over the measured window. */
  readonly rps: number;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly mbPerSec: number;
  /** CPU the server used during the window, as a fraction of one core. */
  readonly serverCpu: number;
  /** Requests served per second of server CPU time: throughput as if the server had its core to itself. */
  readonly perServerCpuSec: number;
  /** CPU this (load-generator) process used during the window, as a fraction of one core. */
  readonly loadGenCpu: number;
  readonly durationS: number;
  /** CPU of whatever `cpuProbe` measures (e.g. all PostgreSQL processes), as a fraction of one core; NaN without a probe. */
  readonly probeCpu: number;
}

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationS: number;
  readonly headers?: Record<string, string>;
  readonly method?: string;
  readonly requests?: AutocannonRequest[];
  /** pid of the server, to report its CPU use during the window. */
  readonly serverPid?: number;
  /** Starts measuring the CPU of something else over the window (e.g. PostgreSQL's processes); the returned function gives CPU ms since the start. */
  readonly cpuProbe?: () => () => number;
}

export async function runLoad(o: LoadOptions): Promise<LoadRun> {
  const cpu0 = o.serverPid ? cpuTimeMs(o.serverPid) : Number.NaN;
  const probe = o.cpuProbe?.();
  const gen0 = process.cpuUsage();
  const t0 = performance.now();
  const r: AutocannonResult = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.durationS,
    pipelining: 1,
    timeout: 30,
    method: o.method ?? 'GET',
    headers: o.headers,
    requests: o.requests,
  });
  const wallMs = performance.now() - t0;
  const cpu1 = o.serverPid ? cpuTimeMs(o.serverPid) : Number.NaN;
  const gen = process.cpuUsage(gen0);
  const probeMs = probe ? probe() : Number.NaN;
  const completed = r.requests.total;
  const seconds = r.duration;
  return {
    rps: completed / seconds,
    requests: completed,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    mbPerSec: r.throughput.total / seconds / 1e6,
    serverCpu: (cpu1 - cpu0) / wallMs,
    perServerCpuSec: completed / ((cpu1 - cpu0) / 1000),
    loadGenCpu: (gen.user + gen.system) / 1000 / wallMs,
    durationS: seconds,
    probeCpu: probeMs / wallMs,
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly ms: number;
}

/** One request on a kept-alive connection, body read in full; `ms` is time to the last byte. */
export function httpGet(url: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }),
      );
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end(body);
  });
}

export interface SequentialStats {
  readonly samples: number[];
  /** The envelope's own `time` (server-side service time), in ms. */
  readonly serverTimes: number[];
}

/** `count` sequential requests; returns client latencies and the `time` each envelope reports. */
export async function sequential(
  url: string,
  headers: Record<string, string>,
  count: number,
  check?: (body: string) => void,
): Promise<SequentialStats> {
  const samples: number[] = [];
  const serverTimes: number[] = [];
  for (let i = 0; i < count; i++) {
    const a = await httpGet(url, headers);
    if (a.status !== 200) throw new Error(`${url}: HTTP ${a.status}: ${a.body.slice(0, 300)}`);
    check?.(a.body);
    samples.push(a.ms);
    const m = /"time":"([\d.]+) sec\."/.exec(a.body.slice(0, 200));
    if (m) serverTimes.push(Number(m[1]) * 1000);
  }
  return { samples, serverTimes };
}

export function p50(values: readonly number[]): number {
  return percentile(values, 50);
}
