import { html } from 'htm/preact';
import { useRef } from 'preact/hooks';
import { duration } from '../format.js';
import type { Overview } from '../types.js';
import { Chart, type Series } from './chart.js';

/** Samples of the queue kept by the page (the store knows only the depth now): about 10 minutes of snapshots. */
const DEPTH_SAMPLES = 300;

const COMPLETED: Series[] = [
  { label: 'done', stroke: '#2f7d32', fill: 'rgba(47,125,50,0.15)' },
  { label: 'failed', stroke: '#c62828' },
];
const DEPTH: Series[] = [
  { label: 'queued', stroke: '#1565c0', fill: 'rgba(21,101,192,0.12)' },
  { label: 'running', stroke: '#ef6c00' },
];

export function Queue(props: { overview: Overview }) {
  const { queue, completed_per_minute: minutes } = props.overview;
  const depth = useRef<{ x: number[]; queued: number[]; running: number[] }>({ x: [], queued: [], running: [] });
  const now = Date.parse(props.overview.now) / 1000;
  const d = depth.current;
  // One sample per snapshot, in the order they came (the clock may jump forward: time travel).
  if (d.x.length === 0 || now > d.x[d.x.length - 1]) {
    d.x.push(now);
    d.queued.push(queue.queued);
    d.running.push(queue.running);
    if (d.x.length > DEPTH_SAMPLES) for (const a of [d.x, d.queued, d.running]) a.shift();
  }

  const x = minutes.map((m) => Date.parse(m.minute) / 1000);
  return html`
    <section class="queue">
      <h2>Queue</h2>
      <dl class="tiles">
        <div>
          <dt>queued</dt>
          <dd data-testid="queued">${queue.queued}</dd>
        </div>
        <div>
          <dt>running</dt>
          <dd data-testid="running">${queue.running}</dd>
        </div>
        <div>
          <dt>ready, not collected</dt>
          <dd data-testid="ready">${queue.ready}</dd>
        </div>
        <div>
          <dt>oldest queued</dt>
          <dd data-testid="oldest">${queue.queued ? duration(queue.oldest_queued_age_seconds) : '—'}</dd>
        </div>
        <div>
          <dt>completed, 30 min</dt>
          <dd data-testid="completed">${minutes.reduce((n, m) => n + m.done + m.failed, 0)}</dd>
        </div>
        <div>
          <dt>failed, 30 min</dt>
          <dd data-testid="failed">${minutes.reduce((n, m) => n + m.failed, 0)}</dd>
        </div>
      </dl>
      <div class="charts">
        <${Chart}
          title="Tasks completed per minute (last 30 minutes, every node)"
          series=${COMPLETED}
          data=${[x, minutes.map((m) => m.done), minutes.map((m) => m.failed)]}
          bars=${true}
        />
        <${Chart} title="Queue depth (since this page opened)" series=${DEPTH} data=${[d.x.slice(), d.queued.slice(), d.running.slice()]} />
      </div>
    </section>
  `;
}
