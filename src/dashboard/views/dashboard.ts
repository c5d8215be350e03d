import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { AdminError, RefusedToken, admin, follow } from '../api.js';
import type { Act } from './actions.js';
import type { Snapshot } from '../types.js';
import { Accounts } from './accounts.js';
import { Budgets } from './budgets.js';
import { Clock } from './clock.js';
import { Faults } from './faults.js';
import { FailedTasks, FailedWebhooks } from './failures.js';
import { Queue } from './queue.js';
import { type Read, TaskLookup } from './task-lookup.js';
import { Upstream } from './upstream.js';

export function Dashboard(props: { token: string; onSignOut: (why: string | null) => void }) {
  const { token, onSignOut } = props;
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [receivedAt, setReceivedAt] = useState(0);
  const [live, setLive] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  // A task id clicked in a table: the lookup shows it (a new object each click, so the same id looks again).
  const [wanted, setWanted] = useState<{ id: string } | null>(null);
  const find = (id: string) => setWanted({ id });

  useEffect(() => {
    const stream = follow(token, {
      onSnapshot: (s) => {
        setSnapshot(s);
        setReceivedAt(Date.now());
      },
      onState: setLive,
      onRefused: () => onSignOut('The admin token was refused: sign in again.'),
    });
    return () => stream.stop();
  }, [token]);

  const act: Act = async (done, call) => {
    try {
      await call(token);
      setNotice({ ok: true, text: done });
      return true;
    } catch (err) {
      if (err instanceof RefusedToken) onSignOut('The admin token was refused: sign in again.');
      else setNotice({ ok: false, text: err instanceof AdminError ? err.message : `Request failed: ${(err as Error).message}` });
      return false;
    }
  };

  const read: Read = async <T>(path: string) => {
    try {
      return await admin<T>(token, 'GET', path);
    } catch (err) {
      if (err instanceof RefusedToken) onSignOut('The admin token was refused: sign in again.');
      throw err;
    }
  };

  return html`
    <header>
      <h1>serpq</h1>
      <span class=${live ? 'live on' : 'live off'} data-testid="live">${live ? 'live' : 'connecting…'}</span>
      ${snapshot && html`<${Clock} overview=${snapshot.overview} receivedAt=${receivedAt} act=${act} />`}
      <button class="quiet" onClick=${() => onSignOut(null)}>Sign out</button>
    </header>
    ${notice && html`<p class=${notice.ok ? 'notice ok' : 'notice error'} role="status" data-testid="notice">${notice.text}</p>`}
    ${
      snapshot
        ? html`
            <${Queue} overview=${snapshot.overview} />
            ${snapshot.upstream && html`<${Upstream} upstream=${snapshot.upstream} accounts=${snapshot.accounts} />`}
            <${TaskLookup} read=${read} wanted=${wanted} />
            <${Accounts} accounts=${snapshot.accounts} act=${act} />
            <${Budgets} accounts=${snapshot.accounts} act=${act} />
            <${FailedWebhooks} rows=${snapshot.failures.webhooks} act=${act} find=${find} />
            <${FailedTasks} rows=${snapshot.failures.tasks} find=${find} />
            <${Faults} enabled=${snapshot.overview.fault_injection} act=${act} />
          `
        : html`<p class="loading">Waiting for the first snapshot…</p>`
    }
  `;
}
