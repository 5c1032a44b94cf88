import { useEffect, useRef, useState } from 'react';
import { X } from 'lucide-react';
import type { Info } from '../api/types.gen';
import { formatDate } from '../locale';

/** One bundled package, as internal/licenses writes licenses.json. */
interface BundledPackage {
  name: string;
  version: string;
  license: string;
  text: string;
}

interface Licenses {
  go: BundledPackage[];
  npm: BundledPackage[];
}

/** The build's licenses file, written by make build beside the UI's files. */
async function loadLicenses(): Promise<Licenses> {
  const res = await fetch('licenses.json');
  if (!res.ok) throw new Error(`licenses.json: ${res.status}`);
  return (await res.json()) as Licenses;
}

function PackageList({ title, packages }: { title: string; packages: BundledPackage[] }) {
  return (
    <section aria-label={title}>
      <h3 className="about-heading">
        {title} ({packages.length})
      </h3>
      <ul className="about-licenses">
        {packages.map((p) => (
          <li key={`${p.name}@${p.version}`}>
            <details>
              <summary>
                {p.name} <span className="muted">{p.version}</span> {p.license && <span className="badge badge-neutral">{p.license}</span>}
              </summary>
              <pre className="code">{p.text || 'No license file shipped; see the package’s own page.'}</pre>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * What `callboard version` says of the build, and the licenses of the
 * software it bundles. Escape or the close button closes it.
 */
export function AboutDialog({ info, onClose }: { info: Info; onClose: () => void }) {
  const [licenses, setLicenses] = useState<Licenses | null>(null);
  const [failed, setFailed] = useState(false);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    loadLicenses().then(
      (l) => live && setLicenses(l),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const rows: [string, string][] = [
    ['Version', info.version],
    ['Commit', info.commit],
    ['Built', info.buildDate ? formatDate(info.buildDate) : ''],
    ['Go', info.go],
    ['Wails', info.wails],
    ['Store format', info.storeFormat ? String(info.storeFormat) : ''],
  ];
  return (
    <>
      <div className="palette-overlay" onClick={onClose} />
      <div className="palette-content about-dialog" role="dialog" aria-modal="true" aria-labelledby="about-title">
        <header className="about-header">
          <h2 id="about-title">Callboard {info.version}</h2>
          <button ref={closeRef} type="button" className="button button-quiet button-small" onClick={onClose} aria-label="Close">
            <X size={14} aria-hidden="true" />
          </button>
        </header>
        <div className="about-body">
          <dl className="fields">
            {rows
              .filter(([, v]) => v)
              .map(([k, v]) => (
                <div className="field" key={k}>
                  <dt>{k}</dt>
                  <dd data-testid={`about-${k.toLowerCase().replace(' ', '-')}`}>{v}</dd>
                </div>
              ))}
          </dl>
          <h3 className="about-heading">Licenses of bundled software</h3>
          {failed ? (
            <p className="muted">This build lists no licenses (make build writes them).</p>
          ) : !licenses ? (
            <p className="muted">Loading…</p>
          ) : (
            <>
              <PackageList title="Go modules" packages={licenses.go} />
              <PackageList title="npm packages" packages={licenses.npm} />
            </>
          )}
        </div>
      </div>
    </>
  );
}
