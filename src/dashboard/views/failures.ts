import { html } from 'htm/preact';
import { utc } from '../format.js';
import type { FailedTask, FailedWebhook } from '../types.js';
import { type Act, post } from './actions.js';
import { alertsResendPath } from './budgets.js';

/**
 * The latest failed webhooks over every account, each with its state now and a Resend button. A
 * budget alert names its budget instead of a task, and its Resend sends the budget's alerts of the
 * current period again.
 */
export function FailedWebhooks(props: { rows: readonly FailedWebhook[]; act: Act; find: (id: string) => void }) {
  return html`
    <section>
      <h2>Failed webhooks</h2>
      ${
        props.rows.length === 0
          ? html`<p class="empty">No failed webhook in the last 7 days.</p>`
          : html`<div class="scroll">
              <table data-testid="failed-webhooks">
                <thead>
                  <tr>
                    <th>failed at</th>
                    <th>account</th>
                    <th>task</th>
                    <th>kind</th>
                    <th>answer</th>
                    <th class="num">attempts</th>
                    <th>now</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  ${props.rows.map(
                    (w) =>
                      html`<tr key=${w.task_id + w.kind} data-task=${w.task_id}>
                        <td>${utc(w.failed_at)}</td>
                        <td>${w.login ?? '—'}</td>
                        <td class="id" title=${w.url}>
                          ${w.budget_id !== null ? `budget ${w.budget_id}` : taskLink(w.task_id, props.find)}
                        </td>
                        <td>${w.kind}</td>
                        <td class="long" title=${w.error ?? ''}>
                          ${w.http_code !== null ? `HTTP ${w.http_code}` : (w.error ?? 'no answer')}
                        </td>
                        <td class="num">${w.attempts}</td>
                        <td><span class=${`state ${w.state}`} data-testid="webhook-state">${w.state}</span></td>
                        <td>
                          <button
                            disabled=${w.state === 'pending'}
                            onClick=${() =>
                              w.budget_id !== null && w.login !== null
                                ? props.act(`Alerts of budget ${w.budget_id} queued again.`, (token) =>
                                    post(token, alertsResendPath(w.login!, w.budget_id!)),
                                  )
                                : props.act(`Webhooks of ${w.task_id} queued again.`, (token) =>
                                    post(token, `/admin/tasks/${w.task_id}/resend`),
                                  )}
                          >
                            Resend
                          </button>
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
    </section>
  `;
}

/** The latest tasks whose execution failed (a vendor status other than 20000), over every account. */
export function FailedTasks(props: { rows: readonly FailedTask[]; find: (id: string) => void }) {
  return html`
    <section>
      <h2>Failed tasks</h2>
      ${
        props.rows.length === 0
          ? html`<p class="empty">No failed task in the last 7 days.</p>`
          : html`<div class="scroll">
              <table data-testid="failed-tasks">
                <thead>
                  <tr>
                    <th>completed at</th>
                    <th>account</th>
                    <th>task</th>
                    <th>engine / type</th>
                    <th class="num">status</th>
                    <th>message</th>
                  </tr>
                </thead>
                <tbody>
                  ${props.rows.map(
                    (t) =>
                      html`<tr key=${t.id}>
                        <td>${utc(t.completed_at)}</td>
                        <td>${t.login ?? '—'}</td>
                        <td class="id">${taskLink(t.id, props.find)}</td>
                        <td>${t.se}/${t.se_type}${t.function === 'task_post' ? '' : ` (${t.function})`}</td>
                        <td class="num">${t.status_code}</td>
                        <td class="long" title=${t.status_message ?? ''}>${t.status_message ?? ''}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
    </section>
  `;
}

/** A task id that opens the task in "Find a task". */
function taskLink(id: string, find: (id: string) => void) {
  return html`<button class="link" title="Show this task" onClick=${() => find(id)}>${id}</button>`;
}
