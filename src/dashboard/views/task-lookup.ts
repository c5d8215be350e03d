import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { AdminError } from '../api.js';
import { count, usd, utc } from '../format.js';
import type { TaskDetails } from '../types.js';

/** Reads an admin GET (a refused token signs the page out before this throws). */
export type Read = <T>(path: string) => Promise<T>;

type Found = { task: TaskDetails } | { missing: string } | { error: string };

/**
 * "Find a task": one task by id (GET /admin/tasks/:id) with its state, account, times, cost and
 * webhook attempts. `wanted` looks one up from elsewhere on the page (a task id in a table).
 */
export function TaskLookup(props: { read: Read; wanted: { id: string } | null }) {
  const [value, setValue] = useState('');
  const [found, setFound] = useState<Found | null>(null);
  const [busy, setBusy] = useState(false);
  const section = useRef<HTMLElement>(null);
  // Only the latest lookup shows: an earlier one answering late must not replace it.
  const latest = useRef(0);

  async function find(raw: string) {
    const id = raw.trim();
    if (!id) return;
    const n = ++latest.current;
    setBusy(true);
    let outcome: Found;
    try {
      outcome = { task: await props.read<TaskDetails>(`/admin/tasks/${encodeURIComponent(id)}`) };
    } catch (err) {
      outcome = err instanceof AdminError && err.status === 404 ? { missing: id } : { error: (err as Error).message };
    }
    if (n !== latest.current) return;
    setFound(outcome);
    setBusy(false);
  }

  useEffect(() => {
    if (!props.wanted) return;
    setValue(props.wanted.id);
    section.current?.scrollIntoView({ block: 'start' });
    void find(props.wanted.id);
  }, [props.wanted]);

  return html`
    <section ref=${section} data-testid="task-lookup">
      <h2>Find a task</h2>
      <form
        class="inline"
        onSubmit=${(e: Event) => {
          e.preventDefault();
          void find(value);
        }}
      >
        <input
          aria-label="task id"
          name="task_id"
          class="task-id"
          placeholder="task id, e.g. 12061200-1535-0066-0000-000000000001"
          spellcheck=${false}
          value=${value}
          onInput=${(e: Event) => setValue((e.target as HTMLInputElement).value)}
        />
        <button type="submit" disabled=${busy}>Find</button>
      </form>
      ${found && ('task' in found ? html`<${Details} task=${found.task} />` : html`<p class="notice error" role="status" data-testid="task-missing">${notFound(found)}</p>`)}
    </section>
  `;
}

const notFound = (f: { missing: string } | { error: string }) =>
  'missing' in f ? `No task with id '${f.missing}' on this server.` : `Could not look it up: ${f.error}`;

const PRIORITY: Record<number, string> = { 1: 'normal (1)', 2: 'high (2)' };

/**
 * Each delivery's state now ("postback delivered after 2 attempts"); before there are any, the
 * task's (none, or pending until it completes). The task's own state stays `failed` after a resend
 * was delivered: that failure is what put it on tasks_ready, and it stays there.
 */
function webhooks(t: TaskDetails): string {
  if (t.deliveries.length === 0) return t.webhook_state;
  return t.deliveries.map((d) => `${d.kind} ${d.state} after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`).join(', ');
}

function Details(props: { task: TaskDetails }) {
  const t = props.task;
  const field = (label: string, value: unknown, testId?: string) =>
    html`<div>
      <dt>${label}</dt>
      <dd data-testid=${testId}>${value}</dd>
    </div>`;
  const when = (iso: string | null) => (iso ? utc(iso) : '—');
  return html`
    <div class="task" data-task=${t.id}>
      <h3>
        <span class="id">${t.id}</span>
        <span class=${`state ${t.state}`} data-testid="task-state">${t.state}</span>
      </h3>
      <dl class="fields">
        ${field('account', t.login ?? '(account removed)', 'task-login')}
        ${field('path', [t.api, t.se, t.se_type, t.function].filter((s) => s !== '').join('/'))}
        ${field('status', t.status_code === null ? '—' : `${t.status_code} ${t.status_message ?? ''}`, 'task-status')}
        ${field('cost', usd(t.cost))} ${field('priority', PRIORITY[t.priority] ?? String(t.priority))} ${field('tag', t.tag ?? '—')}
        ${field('posted', when(t.posted_at))} ${field('due', when(t.due_at))}
        ${t.lease_expires_at && field('worker holds it until', when(t.lease_expires_at))} ${field('completed', when(t.completed_at))}
        ${field('collected', t.collected ? when(t.collected_at) : 'no', 'task-collected')}
        ${field('on tasks_ready', t.on_tasks_ready ? 'yes' : 'no', 'task-ready')} ${field('executions', count(t.executions))}
        ${field('webhooks', webhooks(t), 'task-webhooks')}
      </dl>
      ${
        t.attempts.length > 0 &&
        html`<div class="scroll">
          <table data-testid="task-attempts">
            <thead>
              <tr>
                <th>attempted at</th>
                <th>kind</th>
                <th>url</th>
                <th>answer</th>
                <th class="num">ms</th>
              </tr>
            </thead>
            <tbody>
              ${t.attempts.map(
                (a, i) =>
                  html`<tr key=${i}>
                    <td>${utc(a.attempted_at)}</td>
                    <td>${a.kind}</td>
                    <td class="long" title=${a.url}>${a.method} ${a.url}</td>
                    <td class="long" title=${a.response ?? a.error ?? ''}>
                      ${a.ok ? 'ok' : 'failed'}${a.http_code !== null ? `, HTTP ${a.http_code}` : a.error ? `, ${a.error}` : ''}
                    </td>
                    <td class="num">${count(a.duration_ms)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`
      }
    </div>
  `;
}
