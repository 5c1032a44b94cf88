import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { FolderOpen } from 'lucide-react';
import { useClient } from '../api/context';
import { Events, type DocsPreview } from '../api/types.gen';
import { DocsView, type DocsSource } from '../components/DocsReader';
import { PageHeader } from '../components/PageHeader';
import { ErrorState, Loading } from '../components/States';

/**
 * A docs folder on disk, previewed as its author writes it
 * (/docs/preview?dir=…, or ?id=… from a docs-preview link): the page is read
 * again each time the folder's files are saved, without a commit. The
 * preview closes when the page is left.
 */
export function DocsPreviewPage() {
  const [params, setParams] = useSearchParams();
  const client = useClient();
  const dir = params.get('dir') ?? '';
  const id = params.get('id') ?? '';
  const [preview, setPreview] = useState<DocsPreview | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setError(null);
    const open = dir ? client.openDocsPreview(dir) : id ? client.docsPreview(id) : Promise.reject(new Error('No folder to preview: the link names none.'));
    open.then(
      (p) => {
        if (!live) return;
        setPreview(p);
        // The folder names the preview in the URL, so it survives a restart.
        if (!dir)
          setParams(
            (prev) => {
              const next = new URLSearchParams(prev);
              next.delete('id');
              next.set('dir', p.dir);
              return next;
            },
            { replace: true },
          );
      },
      (e: unknown) => live && setError(e instanceof Error ? e : new Error(String(e))),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- setParams changes with every navigation
  }, [client, dir, id, attempt]);

  const previewId = preview?.id;
  useEffect(() => {
    if (!previewId) return;
    return () => {
      client.closeDocsPreview(previewId).catch(() => undefined);
    };
  }, [client, previewId]);

  const source = useMemo<DocsSource | null>(
    () =>
      previewId && preview
        ? {
            key: `preview\0${previewId}`,
            site: (c) =>
              c.docsPreview(previewId).then((p) => {
                if (p.error) throw new Error(p.error);
                return p.site;
              }),
            page: (c, page) => c.docsPreviewPage(previewId, page),
            refreshOn: [Events.DocsChanged],
            localRoot: preview.dir,
          }
        : null,
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one source per preview
    [previewId],
  );

  return (
    <div className="page">
      <PageHeader
        title={preview ? `${preview.site.name || 'Docs'} — working tree` : 'Docs preview'}
        subtitle={
          <span title="Saving a page or mkdocs.yml shows the change here">
            <FolderOpen size={13} aria-hidden="true" /> {preview?.dir ?? dir}
          </span>
        }
      />
      {error ? (
        <ErrorState title="Could not open the folder" error={error} onRetry={() => setAttempt((a) => a + 1)} />
      ) : !source ? (
        <Loading label="Opening the folder…" />
      ) : (
        <DocsView source={source} />
      )}
    </div>
  );
}
