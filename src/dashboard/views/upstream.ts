import { html } from 'htm/preact';
import { count, usd } from '../format.js';
import type { Account, Upstream as UpstreamData } from '../types.js';

const REACHABLE = {
  true: { text: 'reachable', cls: 'good' },
  false: { text: 'unreachable', cls: 'bad' },
  // No call made yet: the start-up check makes one, so this is brief.
  null: { text: 'not called yet', cls: '' },
} as const;

/**
 * A relay's upstream account: whether it answers, the calls of every process against its limits,
 * and what the relay did for the accounts (tasks sent upstream, and served from its cache or a
 * shared call instead).
 */
export function Upstream(props: { upstream: UpstreamData; accounts: readonly Account[] }) {
  const u = props.upstream;
  const reach = REACHABLE[`${u.reachable}`];
  const users = props.accounts.filter((a) => a.tasks_relayed + a.cache_hits > 0);
  return html`
    <section data-testid="upstream">
      <h2>Upstream <span class="sub">${u.url}</span></h2>
      <dl class="tiles">
        <div>
          <dt>upstream</dt>
          <dd class=${reach.cls} data-testid="upstream-reachable">${reach.text}</dd>
        </div>
        <div title="Calls under way now, from every serpq process, against the concurrent_requests limit">
          <dt>calls in flight</dt>
          <dd data-testid="upstream-calls-in-flight">
            ${count(u.calls_in_flight)}<small> / ${count(u.limits.concurrent_requests)}</small>
          </dd>
        </div>
        <div title="Calls in the last 60 seconds, from every serpq process, against the requests_per_minute limit">
          <dt>calls, last minute</dt>
          <dd data-testid="upstream-calls-minute">${count(u.calls_last_minute)}<small> / ${count(u.limits.requests_per_minute)}</small></dd>
        </div>
        <div title="Tasks posted upstream whose results are not collected yet">
          <dt>tasks with the upstream</dt>
          <dd data-testid="upstream-in-flight">${count(u.in_flight)}</dd>
        </div>
        <div title="The upstream account's balance from its user_data, read when this server started">
          <dt>balance at start</dt>
          <dd data-testid="upstream-balance">${usd(u.balance)}</dd>
        </div>
        <div>
          <dt>tasks relayed</dt>
          <dd data-testid="tasks-relayed">${count(u.tasks_relayed)}</dd>
        </div>
        <div title="Tasks served from the relay's cache or a call shared with an equal task">
          <dt>cache hits</dt>
          <dd data-testid="cache-hits">${count(u.cache_hits)}</dd>
        </div>
      </dl>
      ${u.last_error && html`<p class="notice error" data-testid="upstream-error">Last error: ${u.last_error}</p>`}
      ${
        users.length > 0 &&
        html`<div class="scroll">
          <table class="narrow" data-testid="relay-usage">
            <thead>
              <tr>
                <th>account</th>
                <th class="num">tasks relayed</th>
                <th class="num">cache hits</th>
              </tr>
            </thead>
            <tbody>
              ${users.map(
                (a) =>
                  html`<tr key=${a.login}>
                    <td>${a.login}</td>
                    <td class="num">${count(a.tasks_relayed)}</td>
                    <td class="num">${count(a.cache_hits)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`
      }
    </section>
  `;
}
