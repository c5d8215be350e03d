import { describe, expect, it } from 'vitest';
import { createManualClock } from '../domain/clock.js';
import { MAX_HELD, createMetrics } from './metrics.js';

const store = { queueStats: async () => ({ queued: 2, running: 1, oldestQueuedAt: null, ready: 3 }), spendByAccount: async () => [] };

/** The value of one series in a text exposition. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics before prom-client is loaded', () => {
  it('holds observations in order and hands them over at the first scrape', async () => {
    const metrics = createMetrics({ store, clock: createManualClock(0) });
    metrics.request('GET', '/v3/serp/tasks_ready', 200, 0.002);
    metrics.request('GET', '/v3/serp/tasks_ready', 200, 0.2);
    metrics.tasksPosted('google', 'images', 3);
    metrics.tasksFinished([{ se: 'google', seType: 'images', statusCode: 20000 }]);
    metrics.webhookAttempt({ kind: 'postback', ok: false, httpCode: 500, durationMs: 40 });
    const { text, contentType } = await metrics.exposition();
    expect(contentType).toMatch(/^text\/plain/);
    expect(valueOf(text, 'serpq_http_requests_total{method="GET",route="/v3/serp/tasks_ready",status_code="200"}')).toBe(2);
    expect(
      valueOf(text, 'serpq_http_request_duration_seconds_sum{method="GET",route="/v3/serp/tasks_ready",status_code="200"}'),
    ).toBeCloseTo(0.202);
    expect(valueOf(text, 'serpq_tasks_posted_total{se="google",se_type="images"}')).toBe(3);
    expect(valueOf(text, 'serpq_tasks_completed_total{se="google",se_type="images"}')).toBe(1);
    expect(valueOf(text, 'serpq_webhook_attempts_total{kind="postback",outcome="http_error"}')).toBe(1);
    expect(valueOf(text, 'serpq_tasks_ready')).toBe(3);
    // Loaded now: later observations go straight in.
    metrics.tasksPosted('google', 'images', 2);
    expect(valueOf((await metrics.exposition()).text, 'serpq_tasks_posted_total{se="google",se_type="images"}')).toBe(5);
  });

  it('loses no observation when more than MAX_HELD wait (prom-client is then loaded before the scrape)', async () => {
    const metrics = createMetrics({ store, clock: createManualClock(0) });
    for (let i = 0; i < MAX_HELD + 10; i++) metrics.tasksPosted('bing', 'organic', 1);
    const { text } = await metrics.exposition();
    expect(valueOf(text, 'serpq_tasks_posted_total{se="bing",se_type="organic"}')).toBe(MAX_HELD + 10);
  });
});
