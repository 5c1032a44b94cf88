import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Building2, Compass, FolderGit2, FolderOpen, Network, Sparkles, X } from 'lucide-react';
import { useClient } from '../api/context';
import { AddLocationForm, OpenFolderForm } from './AddLocation';
import { Card } from './Card';
import { ConnectBackstageForm } from './BackstageConnect';
import { AddOrgForm } from './OrgDiscovery';

type Choice = 'org' | 'backstage' | 'repo' | 'folder';

const choices: { id: Choice; title: string; icon: typeof Building2; text: string }[] = [
  {
    id: 'org',
    title: 'Add your organisation',
    icon: Building2,
    text: "Paste your GitHub organisation's or GitLab group's URL: every repository with a catalog file joins the catalog, listed with your own token, and your teams and people come along.",
  },
  {
    id: 'backstage',
    title: 'Connect a Backstage',
    icon: Network,
    text: "Your organisation already runs Backstage: read its whole catalog from its API, with your token, and keep it on this machine, offline.",
  },
  { id: 'repo', title: 'Add a repository', icon: FolderGit2, text: 'One catalog repository by its URL: its catalog-info.yaml and every file its Location entities list.' },
  { id: 'folder', title: 'Open a folder', icon: FolderOpen, text: 'A git repository on this machine: every catalog-info.yaml in it, as committed.' },
];

/**
 * The first-run welcome on Home: the ways to bring one's own catalog in,
 * and the demo organisation to look around first. Leaving it (exploring
 * the demo, or closing it) is a setting, so it does not come back.
 */
export function Welcome({ demoPresent, onChanged }: { demoPresent: boolean; onChanged: () => void }) {
  const client = useClient();
  const navigate = useNavigate();
  const [choice, setChoice] = useState<Choice>('org');
  const [error, setError] = useState<string | null>(null);

  const dismiss = async () => {
    setError(null);
    try {
      await client.patchSettings({ welcomeDismissed: true });
      return true;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return false;
    }
  };
  const explore = async () => {
    if (!demoPresent) {
      try {
        const demo = await client.restoreDemo();
        client.sync(demo.id).then(onChanged, onChanged);
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
        return;
      }
    }
    if (await dismiss()) void navigate('/catalog');
  };

  return (
    <Card
      title="Welcome to Callboard"
      icon={Sparkles}
      testId="home-welcome"
      actions={
        <button type="button" className="icon-button" aria-label="Close the welcome" title="Close the welcome" onClick={async () => (await dismiss()) && onChanged()}>
          <X size={14} aria-hidden="true" />
        </button>
      }
    >
      <p className="muted">Your developer portal, on your machine: the software catalog, docs and templates of your organisation, read from git. Where would you like to start?</p>
      <div className="welcome-choices" role="group" aria-label="Ways to start">
        {choices.map(({ id, title, icon: Icon, text }) => (
          <button key={id} type="button" aria-pressed={choice === id} className={`welcome-choice${choice === id ? ' active' : ''}`} onClick={() => setChoice(id)}>
            <span className="welcome-choice-title">
              <Icon size={16} aria-hidden="true" /> {title}
            </span>
            <span className="muted">{text}</span>
          </button>
        ))}
        <button type="button" className="welcome-choice" onClick={explore} data-testid="welcome-explore-demo">
          <span className="welcome-choice-title">
            <Compass size={16} aria-hidden="true" /> {demoPresent ? 'Explore the demo organisation' : 'Bring back the demo organisation'}
          </span>
          <span className="muted">Marigold Ferries, a made-up company with services, teams, docs and templates: marked Demo wherever it shows, and gone in one click when you are done.</span>
        </button>
      </div>
      <div>
        {choice === 'org' && <AddOrgForm onAdded={onChanged} />}
        {choice === 'backstage' && <ConnectBackstageForm onAdded={onChanged} />}
        {choice === 'repo' && <AddLocationForm onAdded={onChanged} />}
        {choice === 'folder' && <OpenFolderForm onAdded={onChanged} />}
      </div>
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
    </Card>
  );
}

/**
 * Says, while the demo organisation is registered, that what the catalog
 * shows is the demo, and removes it with one click (after a confirmation;
 * Settings brings it back).
 */
export function DemoBanner({ onRemoved }: { onRemoved: () => void }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    if (!window.confirm('Remove the demo organisation? Its entities leave the catalog, and it stays away; Settings can bring it back.')) return;
    setBusy(true);
    setError(null);
    try {
      await client.removeDemo();
      onRemoved();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="banner banner-demo" data-testid="demo-banner">
      <Compass size={14} aria-hidden="true" /> You are exploring the demo organisation —{' '}
      <button type="button" className="link-button" onClick={remove} disabled={busy}>
        {busy ? 'Removing…' : 'Remove it'}
      </button>
      {error && (
        <span className="banner-error" role="alert">
          {' '}
          {error}
        </span>
      )}
    </div>
  );
}
