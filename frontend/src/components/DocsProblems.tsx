import { TriangleAlert } from 'lucide-react';
import type { TechdocsProblem } from '../api/types.gen';

/** The file's path on disk: root joined with a path of the site's folder. */
function onDisk(root: string, file: string): string {
  return `${root.replace(/[\\/]+$/, '')}/${file}`;
}

/**
 * What leads nowhere, beside the page: its links to pages that do not
 * exist, and the site's nav entries without a file and redirects to
 * nothing, each with where it is written and why; those in a file on disk
 * open in the editor at their line.
 */
export function DocsProblems({
  page,
  site,
  pageFile,
  localRoot,
  open,
}: {
  page: TechdocsProblem[];
  site: TechdocsProblem[];
  /** The page's file on disk, when it has one. */
  pageFile?: string;
  /** The site's folder on disk, which the site's problems' files are in. */
  localRoot?: string;
  open: (file: string, line: number) => void;
}) {
  const rows = [...page.map((p) => ({ p, file: pageFile })), ...site.map((p) => ({ p, file: localRoot ? onDisk(localRoot, p.file) : undefined }))];
  return (
    <aside className="docs-problems" aria-label="Problems" data-testid="docs-problems">
      <p className="docs-toc-title">
        <TriangleAlert size={13} aria-hidden="true" /> {rows.length === 1 ? '1 problem' : `${rows.length} problems`}
      </p>
      <ul>
        {rows.map(({ p, file }, i) => (
          <li key={`${p.file}:${p.line ?? 0}:${p.target}:${i}`}>
            <code className="docs-problem-target">{p.target}</code>
            <span className="docs-problem-why">{p.why}</span>
            {file ? (
              <button type="button" className="link-button docs-problem-where" title={`Open ${file} at line ${p.line ?? 1}`} onClick={() => open(file, p.line ?? 0)}>
                {p.file}
                {p.line ? `:${p.line}` : ''}
              </button>
            ) : (
              <span className="muted docs-problem-where">
                {p.file}
                {p.line ? `:${p.line}` : ''}
              </span>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}
