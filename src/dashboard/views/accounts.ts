import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { usd } from '../format.js';
import type { Account } from '../types.js';
import { type Act, patch } from './actions.js';

/** Accounts with balance, today's spend (UTC day) and limits; a row's Edit saves through PATCH /admin/accounts/:login. */
export function Accounts(props: { accounts: readonly Account[]; act: Act }) {
  const [editing, setEditing] = useState<string | null>(null);
  return html`
    <section>
      <h2>Accounts</h2>
      <div class="scroll">
        <table data-testid="accounts">
          <thead>
            <tr>
              <th>login</th>
              <th class="num">balance</th>
              <th class="num">spent today</th>
              <th class="num">daily cost limit</th>
              <th class="num">requests/min</th>
              <th class="num">tasks_ready/min</th>
              <th class="num">concurrent</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            ${props.accounts.map((a) =>
              editing === a.login
                ? html`<${EditRow} key=${a.login} account=${a} act=${props.act} onDone=${() => setEditing(null)} />`
                : html`<tr key=${a.login} data-login=${a.login}>
                    <td>${a.login}</td>
                    <td class="num">${usd(a.balance)}</td>
                    <td class="num" data-testid="spent-today">${usd(a.spent_today)}</td>
                    <td class="num">${a.daily_cost_limit === null ? 'none' : usd(a.daily_cost_limit)}</td>
                    <td class="num">${a.limits.requests_per_minute}</td>
                    <td class="num">${a.limits.tasks_ready_per_minute}</td>
                    <td class="num">${a.limits.concurrent_requests}</td>
                    <td><button class="quiet" onClick=${() => setEditing(a.login)}>Edit</button></td>
                  </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>
  `;
}

function EditRow(props: { account: Account; act: Act; onDone: () => void }) {
  const a = props.account;
  const [form, setForm] = useState({
    balance: String(a.balance),
    daily_cost_limit: a.daily_cost_limit === null ? '' : String(a.daily_cost_limit),
    requests_per_minute: String(a.limits.requests_per_minute),
    tasks_ready_per_minute: String(a.limits.tasks_ready_per_minute),
    concurrent_requests: String(a.limits.concurrent_requests),
  });
  const field = (name: keyof typeof form, label: string) =>
    html`<input
      aria-label=${label}
      name=${name}
      inputmode="decimal"
      value=${form[name]}
      onInput=${(e: Event) => setForm({ ...form, [name]: (e.target as HTMLInputElement).value })}
    />`;
  async function save(e: Event) {
    e.preventDefault();
    const body = {
      balance: Number(form.balance),
      // Empty: no daily cap.
      daily_cost_limit: form.daily_cost_limit.trim() === '' ? null : Number(form.daily_cost_limit),
      limits: {
        requests_per_minute: Number(form.requests_per_minute),
        tasks_ready_per_minute: Number(form.tasks_ready_per_minute),
        concurrent_requests: Number(form.concurrent_requests),
      },
    };
    const ok = await props.act(`Account ${a.login} saved.`, (token) =>
      patch(token, `/admin/accounts/${encodeURIComponent(a.login)}`, body),
    );
    if (ok) props.onDone();
  }
  return html`<tr class="editing" data-login=${a.login}>
    <td>${a.login}</td>
    <td class="num">${field('balance', 'balance (USD)')}</td>
    <td class="num">${usd(a.spent_today)}</td>
    <td class="num">${field('daily_cost_limit', 'daily cost limit (USD, empty for none)')}</td>
    <td class="num">${field('requests_per_minute', 'requests per minute')}</td>
    <td class="num">${field('tasks_ready_per_minute', 'tasks_ready per minute')}</td>
    <td class="num">${field('concurrent_requests', 'concurrent requests')}</td>
    <td>
      <button onClick=${save}>Save</button>
      <button class="quiet" onClick=${props.onDone}>Cancel</button>
    </td>
  </tr>`;
}
