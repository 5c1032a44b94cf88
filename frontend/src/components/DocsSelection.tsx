import { useEffect, useState, type RefObject } from 'react';
import { Bug, Code2 } from 'lucide-react';
import { ExternalLink } from './ExternalLink';
import { issueURL, selectionLine } from './docsIssue';

interface Selected {
  text: string;
  line: number | null;
  top: number;
  left: number;
}

/**
 * Offers, for text selected in the page, "Edit this line" (the page's file
 * in the editor, at the line the selection starts on) and "Report issue"
 * (a new issue on the repository's forge, prefilled as Backstage's
 * ReportIssue addon does).
 */
export function SelectionMenu({
  container,
  file,
  repoUrl,
  editUrl,
  onEdit,
}: {
  container: RefObject<HTMLDivElement | null>;
  /** The page's file in the repository, for the issue's Markdown link. */
  file: string;
  repoUrl?: string;
  editUrl?: string;
  /** Opens the page's file at a line; none when the file is not on disk. */
  onEdit?: (line: number) => void;
}) {
  const [selected, setSelected] = useState<Selected | null>(null);
  useEffect(() => {
    const update = () => {
      const el = container.current;
      const sel = document.getSelection();
      if (!el || !sel || sel.isCollapsed || sel.rangeCount === 0) {
        setSelected(null);
        return;
      }
      const range = sel.getRangeAt(0);
      if (!el.contains(range.startContainer)) {
        setSelected(null);
        return;
      }
      const box = range.getBoundingClientRect?.();
      const outer = ((el.offsetParent as HTMLElement | null) ?? el).getBoundingClientRect();
      setSelected({ text: sel.toString(), line: selectionLine(range, el), top: (box?.bottom ?? 0) - outer.top + 4, left: Math.max(0, (box?.left ?? 0) - outer.left) });
    };
    document.addEventListener('selectionchange', update);
    return () => document.removeEventListener('selectionchange', update);
  }, [container]);
  if (!selected || !selected.text.trim()) return null;
  const issue = repoUrl ? issueURL(repoUrl, selected.text, file, window.location.href, editUrl) : null;
  if (!issue && !(onEdit && selected.line)) return null;
  return (
    <div className="docs-selection-menu" role="toolbar" aria-label="Selected text" style={{ top: selected.top, left: selected.left }}>
      {onEdit && selected.line && (
        <button type="button" className="button button-small" onMouseDown={(e) => e.preventDefault()} onClick={() => onEdit(selected.line!)}>
          <Code2 size={12} aria-hidden="true" /> Edit this line
        </button>
      )}
      {issue && (
        <span className="button button-small">
          <ExternalLink href={issue}>
            <Bug size={12} aria-hidden="true" /> Report issue
          </ExternalLink>
        </span>
      )}
    </div>
  );
}
