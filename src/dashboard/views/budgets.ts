import { html } from 'htm/preact';
import { usd, utc } from '../format.js';
import type { Account, Budget } from '../types.js';
import { type Act, post } from './actions.js';

/** A fraction as a whole percentage: 0.8 → "80%". */
const percent = (f: number) => `${Math.round(f * 100)}%`;

/**
 * Every account's budgets on the calendar: the spend of the current period against the amount (with
 * a bar), when the period resets, and the period's alerts with their delivery now; a Resend sends
 * the period's alerts again. Below, what each account spent today per API.
 */
export function Budgets(props: { accounts: readonly Account[]; act: Act }) {
  const rows = props.accounts.flatMap((a) => a.budgets.map((b) => ({ login: a.login, budget: b })));
  const spend = props.accounts.flatMap((a) =>
    Object.entries(a.spent_today_by_api)
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([api, usdSpent]) => ({ login: a.login, api, spent: usdSpent })),
  );
  return html`
    <section>
      <h2>Budgets</h2>
      ${
        rows.length === 0
          ? html`<p class="empty">
              No budget. Add one with <code>POST /admin/accounts/:login/budgets</code> or <code>serpq budgets add</code>.
            </p>`
          : html`<div class="scroll">
              <table data-testid="budgets">
                <thead>
                  <tr>
                    <th>account</th>
                    <th>period</th>
                    <th>API</th>
                    <th class="num">spent</th>
                    <th class="num">amount</th>
                    <th>used</th>
                    <th>resets</th>
                    <th>alerts this period</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  ${rows.map(({ login, budget }) => html`<${BudgetRow} key=${budget.id} login=${login} budget=${budget} act=${props.act} />`)}
                </tbody>
              </table>
            </div>`
      }
      <h2 class="minor">Spent today by API <span class="sub">UTC day</span></h2>
      ${
        spend.length === 0
          ? html`<p class="empty">Nothing spent today.</p>`
          : html`<div class="scroll">
              <table class="narrow" data-testid="spend-by-api">
                <thead>
                  <tr>
                    <th>account</th>
                    <th>API</th>
                    <th class="num">spent today</th>
                  </tr>
                </thead>
                <tbody>
                  ${spend.map(
                    (r) =>
                      html`<tr key=${r.login + '/' + r.api} data-login=${r.login} data-api=${r.api}>
                        <td>${r.login}</td>
                        <td>${r.api}</td>
                        <td class="num">${usd(r.spent)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
    </section>
  `;
}

function BudgetRow(props: { login: string; budget: Budget; act: Act }) {
  const { login, budget: b } = props;
  const used = b.amount > 0 ? b.spent / b.amount : 0;
  const sent = b.alerts.filter((a) => a.delivery !== null);
  return html`<tr data-budget=${b.id} data-login=${login}>
    <td>${login}</td>
    <td>${b.period}${b.time_zone === 'UTC' ? '' : html` <span class="sub">${b.time_zone}</span>`}</td>
    <td>${b.api ?? 'all'}</td>
    <td class="num" data-testid="budget-spent">${usd(b.spent)}</td>
    <td class="num">${usd(b.amount)}</td>
    <td>
      <span
        class=${`bar${used >= 1 ? ' full' : used >= 0.8 ? ' high' : ''}`}
        role="meter"
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${Math.round(used * 100)}
      >
        <span style=${{ width: `${Math.min(100, used * 100)}%` }}></span>
      </span>
      <span class="pct" data-testid="budget-used">${percent(used)}</span>
    </td>
    <td>${utc(b.resets_at)}</td>
    <td data-testid="budget-alerts">
      ${
        b.alerts.length === 0
          ? html`<span class="empty">none</span>`
          : b.alerts.map(
              (a) =>
                html`<span
                  key=${a.threshold}
                  class=${`state ${a.delivery?.state ?? 'recorded'}`}
                  title=${`${utc(a.sent_at)}${a.delivery ? `, ${a.delivery.attempts} attempt(s)` : ', no alert_url: not sent'}`}
                  >${percent(a.threshold)} ${a.delivery?.state ?? 'recorded'}</span
                > `,
            )
      }
    </td>
    <td>
      <button
        class="quiet"
        disabled=${sent.length === 0 || sent.some((a) => a.delivery?.state === 'pending')}
        onClick=${() => props.act(`Alerts of budget ${b.id} queued again.`, (token) => post(token, alertsResendPath(login, b.id)))}
      >
        Resend alerts
      </button>
    </td>
  </tr>`;
}

/** The admin path that sends a budget's alerts of the current period again. */
export function alertsResendPath(login: string, budgetId: number): string {
  return `/admin/accounts/${encodeURIComponent(login)}/budgets/${budgetId}/alerts/resend`;
}
