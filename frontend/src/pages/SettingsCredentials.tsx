import { KeyRound, RefreshCw } from 'lucide-react';
import { useLoad } from '../api/useLoad';
import type { CredentialSource } from '../api/types.gen';
import { Card } from '../components/Card';
import { ErrorState, Loading } from '../components/States';

/** One git host: what it is used for, and where its token comes from or how to give it one. */
function HostCredential({ c }: { c: CredentialSource }) {
  const none = c.kind === 'none';
  return (
    <li className="credential" data-testid={`credential-${c.host}`}>
      <div className="credential-head">
        <code>{c.host}</code>
        <span className={`badge badge-${none ? 'neutral' : 'good'}`}>
          <span className="dot" aria-hidden="true" />
          {none ? 'no token' : `using: ${c.source}`}
        </span>
        <span className="muted">{c.uses.join(', ')}</span>
      </div>
      {c.hint && <p className="muted credential-hint">To give it one: {c.hint}.</p>}
      {c.problems.map((p) => (
        <p key={p} className="muted credential-problem">
          Not asked: {p}
        </p>
      ))}
    </li>
  );
}

/** Where each git host's https token comes from; Callboard never stores one. */
export function CredentialsCard() {
  const { data, error, loading, reload } = useLoad('credential-sources', (c) => c.credentialSources());
  return (
    <Card
      title="Git credentials"
      icon={KeyRound}
      testId="credentials"
      actions={
        <button type="button" className="button button-small" disabled={loading} onClick={reload}>
          <RefreshCw size={13} aria-hidden="true" className={loading ? 'spin' : undefined} /> Check again
        </button>
      }
    >
      <p className="muted">
        Callboard keeps no token. For each host it uses the first it finds: CALLBOARD_GIT_TOKEN_HOST, the OS keyring (<code>callboard token set HOST</code>), the GitHub CLI (
        <code>gh auth login</code>), the GitLab CLI (<code>glab auth login</code>), git&apos;s credential helpers (keychain, Credential Manager, libsecret), and last CALLBOARD_GIT_TOKEN for trusted hosts. A token goes to its own host alone.
      </p>
      {error ? (
        <ErrorState title="Could not tell where tokens come from" error={error} onRetry={reload} />
      ) : !data ? (
        <Loading label="Asking where tokens come from…" />
      ) : data.length === 0 ? (
        <p className="muted">No git host yet: add a location, or list hosts under Trusted git hosts.</p>
      ) : (
        <ul className="credential-list">
          {data.map((c) => (
            <HostCredential key={c.host} c={c} />
          ))}
        </ul>
      )}
    </Card>
  );
}
