import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { type Act, post } from './actions.js';

const CODES = [
  { code: 40101, text: '40101 Task Handed' },
  { code: 40102, text: '40102 No Search Results' },
  { code: 40103, text: '40103 Task Timeout' },
] as const;

/** Fault injection (POST /admin/faults): the next executions in this process fail with a vendor code. */
export function Faults(props: { enabled: boolean; act: Act }) {
  const [code, setCode] = useState<number>(40102);
  const [count, setCount] = useState('1');
  if (!props.enabled) {
    return html`<section>
      <h2>Fault injection</h2>
      <p class="empty">This server's executor takes no injected faults.</p>
    </section>`;
  }
  return html`
    <section>
      <h2>Fault injection</h2>
      <form
        class="faults"
        onSubmit=${(e: Event) => {
          e.preventDefault();
          const n = Number(count);
          void props.act(`The next ${n} execution(s) in this process fail with ${code}.`, (token) =>
            post(token, '/admin/faults', { status_code: code, count: n }),
          );
        }}
      >
        <label>
          status code
          <select value=${code} onChange=${(e: Event) => setCode(Number((e.target as HTMLSelectElement).value))}>
            ${CODES.map((c) => html`<option value=${c.code}>${c.text}</option>`)}
          </select>
        </label>
        <label>
          executions
          <input value=${count} inputmode="numeric" onInput=${(e: Event) => setCount((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">Inject</button>
      </form>
    </section>
  `;
}
