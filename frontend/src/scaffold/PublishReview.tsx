import { useMemo } from 'react';
import type { TemplateStep } from '../api/types.gen';
import { publishTargets } from './publish';
import type { JsonObject } from './schema';

/** Where each publish step will push the new project, said on the review page before Create. */
export function PublishReview({ steps, values, trustedHosts }: { steps: TemplateStep[]; values: JsonObject; trustedHosts: string[] }) {
  const targets = useMemo(() => publishTargets(steps, values, trustedHosts), [steps, values, trustedHosts]);
  if (targets.length === 0) return null;
  return (
    <div className="publish-review" aria-label="Where the project is pushed">
      <h3 className="setting-label">Where the project goes</h3>
      <ul>
        {targets.map((t, i) => (
          <li key={i}>
            <strong>{t.step}</strong> <code className="muted">{t.action}</code>{' '}
            {t.local ? (
              <span>keeps the repository on this machine only.</span>
            ) : t.host === undefined ? (
              <span>
                pushes to the host <code>{t.expression}</code> names when it runs; Callboard refuses any host you have no location on and have not trusted in Settings.
              </span>
            ) : t.trusted ? (
              <span>
                pushes to <strong>{t.host}</strong>
                {t.repo && <> ({t.repo})</>}, a host you use, with your git token for it.
              </span>
            ) : (
              <span className="banner banner-error" role="alert">
                would push to <strong>{t.host}</strong>
                {t.repo && <> ({t.repo})</>}, which is not a trusted git host: Callboard will refuse this step. Add {t.host} under Trusted git hosts in Settings (or add a location on it) if you mean to publish there.
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
