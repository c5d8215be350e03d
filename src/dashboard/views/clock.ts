import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { duration, utc } from '../format.js';
import type { Overview } from '../types.js';
import { type Act, post } from './actions.js';

const ADVANCES = [
  { label: '+1 hour', seconds: 3600 },
  { label: '+1 day', seconds: 86_400 },
  { label: '+3 days', seconds: 3 * 86_400 },
] as const;

/**
 * serpq's clock: the snapshot's time, run on locally between snapshots. With time travel, buttons
 * move it forward (POST /admin/clock); it never moves back.
 */
export function Clock(props: { overview: Overview; receivedAt: number; act: Act }) {
  const { overview, receivedAt, act } = props;
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, []);
  const now = Date.parse(overview.now) + Math.max(0, Date.now() - receivedAt);
  return html`
    <div class="clock">
      <time data-testid="clock" datetime=${new Date(now).toISOString()}>${utc(now)}</time>
      ${
        overview.time_travel
          ? html`
              <span class="offset" data-testid="offset"
                >time travel ${overview.offset_seconds > 0 ? `+${duration(overview.offset_seconds)}` : 'on'}</span
              >
              ${ADVANCES.map(
                (a) =>
                  html`<button
                    onClick=${() => act(`Clock moved ${a.label}.`, (token) => post(token, '/admin/clock', { advance_seconds: a.seconds }))}
                  >
                    ${a.label}
                  </button>`,
              )}
            `
          : html`<span class="offset">real time</span>`
      }
    </div>
  `;
}
