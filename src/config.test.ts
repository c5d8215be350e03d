import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('defaults to 127.0.0.1:8080, ./serpq.db, the sandbox and no latency', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8080, db: './serpq.db', executor: 'sandbox', timeTravel: false, workers: true });
    expect(c.sandboxLatency).toEqual({ normal: 0, high: 0 });
    expect(Object.isFrozen(c)).toBe(true);
  });
  it('reads SERPQ_* and lets flags win', () => {
    const c = loadConfig({ SERPQ_PORT: '9000', SERPQ_TIME_TRAVEL: '1', SERPQ_SANDBOX_LATENCY: 'normal=2s,high=500ms' }, { port: '9100' });
    expect(c.port).toBe(9100);
    expect(c.timeTravel).toBe(true);
    expect(c.sandboxLatency).toEqual({ normal: 2000, high: 500 });
  });
  it('runs one courier thread per core unless told otherwise', () => {
    expect(loadConfig({}).webhookThreads).toBe(availableParallelism());
    expect(loadConfig({ SERPQ_WEBHOOK_THREADS: '0' }).webhookThreads).toBe(0);
    expect(loadConfig({ SERPQ_WEBHOOK_THREADS: '0' }, { webhookThreads: '3' }).webhookThreads).toBe(3);
    expect(() => loadConfig({ SERPQ_WEBHOOK_THREADS: 'many' })).toThrow(/SERPQ_WEBHOOK_THREADS/);
    expect(() => loadConfig({ SERPQ_WEBHOOK_THREADS: '-1' })).toThrow(/SERPQ_WEBHOOK_THREADS/);
  });
  it('passes unknown paths upstream only when asked, and only as a relay', () => {
    const relay = {
      SERPQ_EXECUTOR: 'relay',
      SERPQ_UPSTREAM_URL: 'http://127.0.0.1:1',
      SERPQ_UPSTREAM_LOGIN: 'a',
      SERPQ_UPSTREAM_PASSWORD: 'b',
    };
    expect(loadConfig(relay).relayPassUnknown).toBe(false);
    expect(loadConfig({ ...relay, SERPQ_RELAY_PASS_UNKNOWN: '1' }).relayPassUnknown).toBe(true);
    expect(loadConfig(relay, { relayPassUnknown: true }).relayPassUnknown).toBe(true);
    expect(() => loadConfig({ SERPQ_RELAY_PASS_UNKNOWN: 'perhaps' })).toThrow(/SERPQ_RELAY_PASS_UNKNOWN/);
    try {
      loadConfig({ SERPQ_RELAY_PASS_UNKNOWN: 'on' });
      expect.unreachable();
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([
        "SERPQ_RELAY_PASS_UNKNOWN (--relay-pass-unknown) passes unknown paths to the relay's upstream: use it with --executor relay",
      ]);
    }
  });
  it('reports every problem at once', () => {
    try {
      loadConfig({ SERPQ_PORT: 'x', SERPQ_SANDBOX_LATENCY: 'soon', SERPQ_TIME_TRAVEL: 'maybe' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toContain('SERPQ_PORT');
      expect(problems).toContain('SERPQ_SANDBOX_LATENCY');
      expect(problems).toContain('SERPQ_TIME_TRAVEL');
    }
  });
});
