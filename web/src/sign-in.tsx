import { useState, type FormEvent } from 'react';

/**
 * Shown when the server refuses the page's credentials: the board needs the token link that
 * `maestro server start` prints, or the token pasted here (it is sent to `/?token=`, which sets the
 * HttpOnly cookie the WebSocket then presents).
 */
export function SignIn() {
  const [token, setToken] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim();
    if (!value) return;
    setBusy(true);
    setError('');
    try {
      const res = await fetch(`/?token=${encodeURIComponent(value)}`, {
        redirect: 'manual',
        credentials: 'same-origin',
      });
      // A good token answers with the redirect that sets the cookie (opaque to fetch).
      if (res.type === 'opaqueredirect' || res.ok) {
        location.reload();
        return;
      }
      setError(
        res.status === 401 ? 'That token does not match this server.' : `The server answered ${res.status}.`,
      );
    } catch (e) {
      setError(`Could not reach the server: ${e instanceof Error ? e.message : String(e)}`);
    }
    setBusy(false);
  };

  return (
    <main className="sign-in" data-testid="sign-in">
      <h1>Sign in to Maestro</h1>
      <p>This board needs the server&apos;s token. Either:</p>
      <ol>
        <li>
          open the link <code>maestro server start</code> printed when it started — it looks like{' '}
          <code>
            {location.origin}/?token=<em>…</em>
          </code>{' '}
          — or
        </li>
        <li>
          paste the token below. On the server&apos;s machine it is in <code>$MAESTRO_HOME/token</code> (
          <code>cat ~/.maestro/token</code> by default), or what <code>MAESTRO_TOKEN</code> is set to.
        </li>
      </ol>
      <form
        onSubmit={(e) => {
          submit(e).catch((err: unknown) => setError(String(err)));
        }}
        className="row"
      >
        <input
          data-testid="sign-in-token"
          type="password"
          autoFocus
          autoComplete="off"
          placeholder="Server token"
          aria-label="Server token"
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        <button
          type="submit"
          className="primary"
          data-testid="sign-in-submit"
          disabled={busy || !token.trim()}
        >
          Sign in
        </button>
      </form>
      {error ? (
        <p className="sign-in-error" role="alert" data-testid="sign-in-error">
          {error}
        </p>
      ) : null}
      <p className="muted small">
        The token is kept in an HttpOnly cookie for this site, never in the page or its address.
      </p>
    </main>
  );
}
