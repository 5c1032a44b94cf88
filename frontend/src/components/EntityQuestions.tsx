import { Link } from 'react-router-dom';
import { MessageCircleQuestionMark, Plus } from 'lucide-react';
import type { QuestionQuery } from '../api/types.gen';
import { Events } from '../api/types.gen';
import { useLoad } from '../api/useLoad';
import { plural } from '../format';
import { questionPath } from '../pages/Questions';
import { Card } from './Card';
import '../styles/questions.css';

const SHOWN = 5;

/** The questions about an entity, newest first, with a way to ask one. */
export function EntityQuestions({ entityRef }: { entityRef: string }) {
  const query: QuestionQuery = { entity: entityRef, limit: SHOWN };
  const { data } = useLoad(`entity-questions\0${entityRef}`, (c) => c.questions(query), [Events.CatalogChanged, Events.SyncDone, Events.OutboxChanged]);
  const about = `/questions?entity=${encodeURIComponent(entityRef)}`;
  return (
    <Card
      title="Questions"
      icon={MessageCircleQuestionMark}
      testId="entity-questions"
      className="entity-questions"
      actions={
        <Link to={`${about}&ask=1`} className="button button-small button-quiet" data-testid="ask-about">
          <Plus size={12} aria-hidden="true" /> Ask about this
        </Link>
      }
    >
      {!data ? (
        <p className="muted">Reading the questions…</p>
      ) : data.total === 0 ? (
        <p className="muted">No questions about it yet.</p>
      ) : (
        <ul className="entity-questions-list">
          {data.items.map((q) => (
            <li key={q.id}>
              <Link to={questionPath(q)}>{q.title}</Link>{' '}
              <span className="muted">
                {plural(q.answers, 'answer')}
                {q.answered ? ', accepted' : ''}
              </span>
            </li>
          ))}
          {data.total > SHOWN && (
            <li>
              <Link to={about}>All {plural(data.total, 'question')}</Link>
            </li>
          )}
        </ul>
      )}
    </Card>
  );
}
