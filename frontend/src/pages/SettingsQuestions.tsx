import { useState } from 'react';
import { MessageCircleQuestionMark } from 'lucide-react';
import { useClient } from '../api/context';
import { useLoad } from '../api/useLoad';
import type { Location } from '../api/types.gen';
import { Card } from '../components/Card';

/** Locations a question can be committed to: repositories of their own, not organisations, Backstage or plugin locations. */
const takesQuestions = (l: Location) => !l.org && !l.backstage && !l.derived && !l.url.startsWith('plugin:');

/** The Q&A location: where questions about no entity go. */
export function QuestionsCard() {
  const client = useClient();
  const { data, reload } = useLoad('settings-questions', (c) => Promise.all([c.settings(), c.listLocations()]), []);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const current = data?.[0].questionsLocation ?? '';
  const choices = (data?.[1] ?? []).filter(takesQuestions);
  const save = async (questionsLocation: string) => {
    setStatus(null);
    try {
      await client.patchSettings({ questionsLocation });
      setStatus({ ok: true, text: 'Saved.' });
      reload();
    } catch (err) {
      setStatus({ ok: false, text: err instanceof Error ? err.message : String(err) });
    }
  };
  return (
    <Card title="Questions" icon={MessageCircleQuestionMark} testId="questions-settings">
      <div className="setting-row">
        <div>
          <p className="setting-label">Q&amp;A location</p>
          <p className="muted">Questions are read from the questions/ folder of every location. A question asked about an entity goes to that entity&apos;s repository; any other goes to the repository chosen here, else to the first one.</p>
        </div>
        <select aria-label="Q&A location" value={current} disabled={!data} onChange={(e) => void save(e.target.value)}>
          <option value="">The first repository</option>
          {current && !choices.some((l) => l.id === current) && <option value={current}>{current} (gone)</option>}
          {choices.map((l) => (
            <option key={l.id} value={l.id}>
              {l.id} · {l.url}
            </option>
          ))}
        </select>
      </div>
      {status && (
        <p className={`banner ${status.ok ? 'banner-ok' : 'banner-error'}`} role={status.ok ? 'status' : 'alert'}>
          {status.text}
        </p>
      )}
    </Card>
  );
}
