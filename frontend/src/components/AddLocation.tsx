import { useState } from 'react';
import { FolderOpen, Plus } from 'lucide-react';
import { useClient } from '../api/context';
import type { NewLocation } from '../api/types.gen';

/**
 * Registers a location, then syncs it: what every add-location form does.
 * onAdded runs once the location is registered (so lists show it pending)
 * and again when its sync ended or failed. add resolves true when the
 * location was registered.
 */
export function useAddLocation(onAdded: () => void) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const add = async (location: NewLocation): Promise<boolean> => {
    setBusy(true);
    setError(null);
    let added = false;
    try {
      const loc = await client.addLocation(location);
      added = true;
      onAdded();
      await client.sync(loc.id);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
      onAdded();
    }
    return added;
  };
  return { add, busy, error };
}

function FormError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p className="banner banner-error add-location-error" role="alert">
      {error}
    </p>
  );
}

/** Registers a catalog repository by URL or path, then syncs it. */
export function AddLocationForm({ onAdded }: { onAdded: () => void }) {
  const { add, busy, error } = useAddLocation(onAdded);
  const [url, setUrl] = useState('');
  const [branch, setBranch] = useState('');
  const [path, setPath] = useState('');

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (await add({ url: url.trim(), branch: branch.trim() || undefined, path: path.trim() || undefined })) {
      setUrl('');
      setBranch('');
      setPath('');
    }
  };

  return (
    <form className="add-location" onSubmit={submit} aria-label="Add a location">
      <label className="add-location-url">
        <span>Repository</span>
        <input
          type="text"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="https://github.com/org/catalog.git, git@host:org/repo.git or /path/to/repo"
          required
          spellCheck={false}
        />
      </label>
      <label>
        <span>Branch</span>
        <input type="text" value={branch} onChange={(e) => setBranch(e.target.value)} placeholder="default" spellCheck={false} />
      </label>
      <label>
        <span>Catalog file or glob</span>
        <input type="text" value={path} onChange={(e) => setPath(e.target.value)} placeholder="catalog-info.yaml" spellCheck={false} />
      </label>
      <button type="submit" className="button" disabled={busy || !url.trim()}>
        <Plus size={14} aria-hidden="true" /> {busy ? 'Adding…' : 'Add location'}
      </button>
      <FormError error={error} />
    </form>
  );
}

/**
 * Registers a local git repository by its folder: picked with the
 * system's dialog in the window, typed in the browser. Its catalog files
 * are found by a glob, so a folder of several works as one.
 */
export function OpenFolderForm({ onAdded }: { onAdded: () => void }) {
  const client = useClient();
  const { add, busy, error } = useAddLocation(onAdded);
  const [folder, setFolder] = useState('');
  const pick = client.pickFolder;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (await add({ url: folder.trim(), path: '**/catalog-info.yaml' })) setFolder('');
  };

  return (
    <form className="add-location" onSubmit={submit} aria-label="Open a folder">
      <label className="add-location-url">
        <span>Folder</span>
        <input type="text" value={folder} onChange={(e) => setFolder(e.target.value)} placeholder="/home/you/src/platform (a git repository)" required spellCheck={false} />
      </label>
      {pick && (
        <button
          type="button"
          className="button button-quiet"
          onClick={async () => {
            const picked = await pick('A git repository with catalog files');
            if (picked) setFolder(picked);
          }}
        >
          <FolderOpen size={14} aria-hidden="true" /> Choose…
        </button>
      )}
      <button type="submit" className="button" disabled={busy || !folder.trim()}>
        <Plus size={14} aria-hidden="true" /> {busy ? 'Opening…' : 'Open folder'}
      </button>
      <FormError error={error} />
    </form>
  );
}
