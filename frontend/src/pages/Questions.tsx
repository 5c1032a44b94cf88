import { useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Check, ChevronUp, CircleCheck, MessageCircleQuestionMark, Plus, X } from 'lucide-react';
import { useClient } from '../api/context';
import type { QuestionAnswer, QuestionDetail, QuestionQuery, QuestionSummary } from '../api/types.gen';
import { Events } from '../api/types.gen';
import { useLoad } from '../api/useLoad';
import { EntityLink } from '../components/EntityLink';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { plural } from '../format';
import { relativeTime } from '../locale';
import '../styles/questions.css';

const LIMIT = 500;
const ROW_HEIGHT = 64;
const REFRESH = [Events.CatalogChanged, Events.SyncDone, Events.OutboxChanged];

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The route of a question. */
export const questionPath = (q: Pick<QuestionSummary, 'locationId' | 'slug'>) => `/questions/${encodeURIComponent(q.locationId)}/${encodeURIComponent(q.slug)}`;

/** An author: a User's ref links to its page, a free name is shown as written. */
function Author({ author }: { author: string }) {
  return author.startsWith('user:') ? <EntityLink entityRef={author} /> : <span>{author}</span>;
}

/** One question of a list: votes, answers, title, tags and who asked when. */
export function QuestionRow({ q }: { q: QuestionSummary }) {
  return (
    <div className="question-row" data-testid="question-row">
      <span className="question-count" title={plural(q.votes, 'vote')}>
        <strong>{q.votes}</strong> {q.votes === 1 ? 'vote' : 'votes'}
      </span>
      <span className={`question-count${q.answered ? ' question-answered' : ''}`} title={q.answered ? 'An answer is accepted' : plural(q.answers, 'answer')}>
        {q.answered && <Check size={12} aria-label="accepted" />}
        <strong>{q.answers}</strong> {q.answers === 1 ? 'answer' : 'answers'}
      </span>
      <span className="question-main">
        <Link to={questionPath(q)} className="question-title">
          {q.title}
        </Link>
        <span className="question-meta">
          {q.tags.map((t) => (
            <Link key={t} to={`/questions?tag=${encodeURIComponent(t)}`} className="chip">
              {t}
            </Link>
          ))}
          <span className="muted">
            <Author author={q.author} /> · {relativeTime(q.date)}
          </span>
        </span>
      </span>
    </div>
  );
}

function QuestionList({ items }: { items: QuestionSummary[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    initialRect: { width: 1000, height: 800 },
  });
  return (
    <div className="questions-scroll" ref={scroller} data-testid="questions-list" role="list" aria-rowcount={items.length}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((v) => (
          <div key={items[v.index]!.id} role="listitem" style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}>
            <QuestionRow q={items[v.index]!} />
          </div>
        ))}
      </div>
    </div>
  );
}

const splitList = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** The form to ask a question; it commits through the outbox and opens the question. */
function AskDialog({ entity, onClose }: { entity: string; onClose: () => void }) {
  const client = useClient();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [tags, setTags] = useState('');
  const [refs, setRefs] = useState(entity);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError('');
    try {
      const d = await client.askQuestion({ title, body, tags: splitList(tags), entityRefs: splitList(refs) });
      onClose();
      void navigate(questionPath(d.question));
    } catch (err) {
      setError(message(err));
      setBusy(false);
    }
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') onClose();
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
  };
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <form className="modal ask-dialog" role="dialog" aria-modal="true" aria-label="Ask a question" onSubmit={(e) => void submit(e)} onKeyDown={onKey}>
        <header className="modal-header">
          <h2>Ask a question</h2>
          <button type="button" className="button button-quiet button-small" onClick={onClose} aria-label="Close">
            <X size={14} aria-hidden="true" />
          </button>
        </header>
        <label>
          Title
          <input autoFocus required maxLength={300} value={title} onChange={(e) => setTitle(e.target.value)} data-testid="ask-title" />
        </label>
        <label>
          Details (Markdown)
          <textarea rows={8} value={body} onChange={(e) => setBody(e.target.value)} data-testid="ask-body" />
        </label>
        <label>
          Tags, separated by commas
          <input value={tags} onChange={(e) => setTags(e.target.value)} placeholder="security, deploys" />
        </label>
        <label>
          About entities, separated by commas
          <input value={refs} onChange={(e) => setRefs(e.target.value)} placeholder="component:default/payments" data-testid="ask-entities" />
        </label>
        {error && (
          <p className="banner banner-error" role="alert">
            {error}
          </p>
        )}
        <footer className="modal-footer">
          <p className="muted">Committed through the outbox; pushed with the next sync.</p>
          <button type="submit" className="button button-small button-primary" disabled={busy || !title.trim()} data-testid="ask-submit">
            Ask <kbd>Ctrl+Enter</kbd>
          </button>
        </footer>
      </form>
    </div>
  );
}

/** Every question of every location: newest or unanswered, by tag, about an entity. */
export function QuestionsPage() {
  const [params, setParams] = useSearchParams();
  const filter = params.get('filter') === 'unanswered' ? 'unanswered' : '';
  const tag = params.get('tag') ?? '';
  const entity = params.get('entity') ?? '';
  const asking = params.get('ask') === '1';
  const set = (key: string, value: string) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    });
  const query: QuestionQuery = useMemo(() => ({ filter, tag, entity, limit: LIMIT }), [filter, tag, entity]);
  const { data, error, reload } = useLoad(`questions\0${JSON.stringify(query)}`, (c) => c.questions(query), REFRESH);

  let body;
  if (!data && error) body = <ErrorState title="Could not load the questions" error={error} onRetry={reload} />;
  else if (!data) body = <Loading label="Reading the questions…" />;
  else if (data.total === 0)
    body = (
      <EmptyState icon={MessageCircleQuestionMark} title={filter || tag || entity ? 'No questions match' : 'No questions yet'}>
        <p>
          Questions live in a <code>questions/</code> folder of a synced repository, one folder each.
        </p>
      </EmptyState>
    );
  else body = <QuestionList items={data.items} />;

  return (
    <div className="page page-wide questions-page">
      <PageHeader
        title="Questions"
        subtitle={data ? `${plural(data.total, 'question')}${data.total > LIMIT ? `; the newest ${LIMIT} are listed` : ''}` : 'Questions and answers kept in git'}
        actions={
          <button type="button" className="button button-primary" onClick={() => set('ask', '1')} data-testid="ask-question">
            <Plus size={14} aria-hidden="true" /> Ask a question
          </button>
        }
      />
      <div className="toolbar" role="group" aria-label="Filters">
        <div className="segmented" role="group" aria-label="Which questions">
          <button type="button" className={`button button-small${filter ? '' : ' active'}`} aria-pressed={!filter} onClick={() => set('filter', '')}>
            Newest
          </button>
          <button type="button" className={`button button-small${filter ? ' active' : ''}`} aria-pressed={!!filter} onClick={() => set('filter', 'unanswered')} data-testid="filter-unanswered">
            Unanswered
          </button>
        </div>
        <select className="select" aria-label="Tag" value={tag} onChange={(e) => set('tag', e.target.value)}>
          <option value="">Every tag</option>
          {tag && !data?.tags.some((t) => t.tag === tag) && <option value={tag}>{tag}</option>}
          {(data?.tags ?? []).map((t) => (
            <option key={t.tag} value={t.tag}>
              {t.tag} ({t.count})
            </option>
          ))}
        </select>
        {entity && (
          <span className="chip">
            About <EntityLink entityRef={entity} />
            <button type="button" className="icon-button" aria-label="Show questions about every entity" onClick={() => set('entity', '')}>
              <X size={12} aria-hidden="true" />
            </button>
          </span>
        )}
      </div>
      {data && data.problems.length > 0 && (
        <details className="banner banner-warn questions-problems" data-testid="question-problems">
          <summary>{plural(data.problems.length, 'question file')} could not be read</summary>
          <ul>
            {data.problems.map((p) => (
              <li key={`${p.locationId} ${p.file} ${p.line ?? 0}`}>
                <code>
                  {p.locationId}: {p.file}
                  {p.line ? `:${p.line}` : ''}
                </code>{' '}
                {p.field && <code>{p.field}</code>} {p.message}
              </li>
            ))}
          </ul>
        </details>
      )}
      {body}
      {asking && <AskDialog entity={entity} onClose={() => set('ask', '')} />}
    </div>
  );
}

function VoteButton({ votes, voted, onVote, label }: { votes: number; voted: boolean; onVote: () => void; label: string }) {
  return (
    <div className="vote">
      <button
        type="button"
        className={`icon-button${voted ? ' voted' : ''}`}
        disabled={voted}
        onClick={onVote}
        aria-label={voted ? `You voted on ${label}` : `Vote on ${label}`}
        title={voted ? 'You voted on this' : 'Vote'}
      >
        <ChevronUp size={18} aria-hidden="true" />
      </button>
      <strong data-testid="votes">{votes}</strong>
    </div>
  );
}

function Answer({ a, canAccept, onVote, onAccept }: { a: QuestionAnswer; canAccept: boolean; onVote: () => void; onAccept: () => void }) {
  return (
    <article className={`answer${a.accepted ? ' answer-accepted' : ''}`} data-testid="answer" aria-label={`Answer by ${a.author}`}>
      <VoteButton votes={a.votes} voted={a.voted} onVote={onVote} label={`the answer by ${a.author}`} />
      <div className="answer-body">
        {a.accepted && (
          <span className="badge badge-good">
            <CircleCheck size={12} aria-hidden="true" /> Accepted
          </span>
        )}
        <div className="docs-content" dangerouslySetInnerHTML={{ __html: a.html }} />
        <footer className="question-meta muted">
          <Author author={a.author} /> · {relativeTime(a.date)} · <code>{a.file}</code>
          {canAccept && !a.accepted && (
            <button type="button" className="button button-small button-quiet" onClick={onAccept}>
              <Check size={12} aria-hidden="true" /> Accept
            </button>
          )}
        </footer>
      </div>
    </article>
  );
}

/** A question with its answers, accepted first; vote, answer and accept from here. */
export function QuestionPage() {
  const { location = '', slug = '' } = useParams();
  const id = `${location}/${slug}`;
  const client = useClient();
  const { data, error, reload } = useLoad(`question\0${id}`, (c) => c.question(id), REFRESH);
  const [shown, setShown] = useState<QuestionDetail>();
  const [answer, setAnswer] = useState('');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState('');
  const d = shown?.question.id === id ? shown : data;

  const act = async (fn: () => Promise<QuestionDetail>) => {
    setBusy(true);
    setActionError('');
    try {
      setShown(await fn());
      reload();
      return true;
    } catch (e) {
      setActionError(message(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const submitAnswer = async (e?: FormEvent) => {
    e?.preventDefault();
    if (await act(() => client.answerQuestion(id, answer))) setAnswer('');
  };

  if (!d && error) return <ErrorState title="Could not load the question" error={error} onRetry={reload} />;
  if (!d) return <Loading label="Reading the question…" />;
  const q = d.question;
  return (
    <div className="page question-page">
      <p className="muted">
        <Link to="/questions">Questions</Link> / {q.locationId}
      </p>
      <PageHeader
        title={q.title}
        subtitle={
          <>
            Asked by <Author author={q.author} /> {relativeTime(q.date)} · <code>{d.file}</code>
            {d.pending && <span className="badge badge-warn">In the outbox</span>}
          </>
        }
      />
      {actionError && (
        <p className="banner banner-error" role="alert">
          {actionError}
        </p>
      )}
      <article className="question-body" data-testid="question-body">
        <VoteButton votes={q.votes} voted={d.voted} onVote={() => void act(() => client.voteQuestion(id, {}))} label="the question" />
        <div className="answer-body">
          <div className="docs-content" dangerouslySetInnerHTML={{ __html: d.html }} />
          <div className="question-meta">
            {q.tags.map((t) => (
              <Link key={t} to={`/questions?tag=${encodeURIComponent(t)}`} className="chip">
                {t}
              </Link>
            ))}
            {q.entityRefs.map((r) => (
              <EntityLink key={r} entityRef={r} />
            ))}
          </div>
        </div>
      </article>
      <h2 className="section-title">{plural(d.thread.length, 'answer')}</h2>
      {d.thread.map((a) => (
        <Answer
          key={a.name}
          a={a}
          canAccept={d.canAccept}
          onVote={() => void act(() => client.voteQuestion(id, { answer: a.name }))}
          onAccept={() => void act(() => client.acceptAnswer(id, a.name))}
        />
      ))}
      {d.problems.length > 0 && (
        <ul className="banner banner-warn">
          {d.problems.map((p) => (
            <li key={p.file}>
              <code>
                {p.file}
                {p.line ? `:${p.line}` : ''}
              </code>{' '}
              {p.message}
            </li>
          ))}
        </ul>
      )}
      <form className="answer-form" onSubmit={(e) => void submitAnswer(e)}>
        <label htmlFor="answer-text" className="section-title">
          Your answer (Markdown)
        </label>
        <textarea
          id="answer-text"
          rows={6}
          value={answer}
          onChange={(e) => setAnswer(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && (e.ctrlKey || e.metaKey) && void submitAnswer()}
          data-testid="answer-text"
        />
        <button type="submit" className="button button-primary" disabled={busy || !answer.trim()}>
          Post the answer <kbd>Ctrl+Enter</kbd>
        </button>
      </form>
    </div>
  );
}
