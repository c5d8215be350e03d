import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { RefusedToken, admin, forgetToken, saveToken, savedToken } from '../api.js';
import { Dashboard } from './dashboard.js';

/** Signed in (a token in sessionStorage) or the sign-in form. */
export function App() {
  const [token, setToken] = useState<string | null>(savedToken());
  const [message, setMessage] = useState<string | null>(null);
  const signOut = (why: string | null) => {
    forgetToken();
    setToken(null);
    setMessage(why);
  };
  if (token) return html`<${Dashboard} token=${token} onSignOut=${signOut} />`;
  return html`<${SignIn}
    message=${message}
    onSignedIn=${(t: string) => {
      saveToken(t);
      setMessage(null);
      setToken(t);
    }}
  />`;
}

function SignIn(props: { message: string | null; onSignedIn: (token: string) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(props.message);
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    const token = value.trim();
    if (!token) return setError('Enter the admin token.');
    setBusy(true);
    try {
      // Any admin call proves the token; the clock is the smallest.
      await admin(token, 'GET', '/admin/clock');
      props.onSignedIn(token);
    } catch (err) {
      setError(
        err instanceof RefusedToken
          ? 'That admin token was refused. Use the token serpq serve printed at start, or the one set with --admin-token (SERPQ_ADMIN_TOKEN).'
          : `Could not reach serpq: ${(err as Error).message}`,
      );
    } finally {
      setBusy(false);
    }
  }
  return html`
    <section class="sign-in">
      <h1>serpq</h1>
      <form onSubmit=${submit}>
        <label for="token">Admin token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="current-password"
          value=${value}
          onInput=${(e: Event) => setValue((e.target as HTMLInputElement).value)}
          autofocus
        />
        <button type="submit" disabled=${busy}>Sign in</button>
        ${error && html`<p class="error" role="alert">${error}</p>`}
      </form>
      <p class="hint">The page holds no data: everything it shows is read from the admin API with this token.</p>
    </section>
  `;
}
