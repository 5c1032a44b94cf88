import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp } from '../test/fakes';
import type { NewQuestion, QuestionDetail, QuestionList, QuestionQuery, QuestionSummary, QuestionVote } from '../api/types.gen';

const keys: QuestionSummary = {
  id: 'demo/rotate-keys',
  locationId: 'demo',
  slug: 'rotate-keys',
  title: 'How do I rotate the keys?',
  author: 'user:default/jane',
  date: '2026-05-01T00:00:00Z',
  tags: ['security'],
  entityRefs: ['component:default/payments'],
  votes: 2,
  answers: 2,
  answered: true,
};
const friday: QuestionSummary = { ...keys, id: 'demo/friday', slug: 'friday', title: 'Deploy on Fridays?', author: 'Zed', tags: [], entityRefs: [], answers: 0, answered: false, date: '2026-06-01T00:00:00Z' };

const detail: QuestionDetail = {
  question: keys,
  file: 'questions/rotate-keys/question.md',
  html: '<p>Every <strong>quarter</strong>?</p>',
  thread: [
    { name: 'a.md', file: 'questions/rotate-keys/answers/a.md', author: 'Bob', date: '2026-05-02T00:00:00Z', votes: 1, accepted: true, voted: false, html: '<p>Use the vault.</p>' },
    { name: 'b.md', file: 'questions/rotate-keys/answers/b.md', author: 'Carol', date: '2026-05-03T00:00:00Z', votes: 5, accepted: false, voted: false, html: '<p>Ask SRE.</p>' },
  ],
  voted: false,
  canAccept: false,
  problems: [],
  pending: false,
};

/** The fake portal with questions: what the pages asked is recorded. */
class QuestionsFake extends FakeTransport {
  asked: QuestionQuery[] = [];
  votes: QuestionVote[] = [];
  newQuestions: NewQuestion[] = [];

  async questions(q: QuestionQuery): Promise<QuestionList> {
    this.asked.push(q);
    const items = [friday, keys].filter((s) => (q.filter !== 'unanswered' || !s.answered) && (!q.entity || s.entityRefs.includes(q.entity)));
    return { items, total: items.length, tags: [{ tag: 'security', count: 1 }], problems: [{ locationId: 'demo', file: 'questions/x/question.md', line: 5, field: 'votes', message: 'must be a whole number' }] };
  }

  async question(): Promise<QuestionDetail> {
    return detail;
  }

  async voteQuestion(_id: string, v: QuestionVote): Promise<QuestionDetail> {
    this.votes.push(v);
    return { ...detail, voted: !v.answer, question: { ...keys, votes: keys.votes + (v.answer ? 0 : 1) } };
  }

  async askQuestion(q: NewQuestion): Promise<QuestionDetail> {
    this.newQuestions.push(q);
    return { ...detail, question: { ...keys, id: 'demo/new', slug: 'new', title: q.title }, pending: true };
  }
}

describe('Questions pages', () => {
  it('lists questions newest first, filters to unanswered, and shows refused files', async () => {
    const t = new QuestionsFake();
    renderApp('/questions', t);
    const rows = await screen.findAllByTestId('question-row');
    expect(rows.map((r) => r.querySelector('.question-title')?.textContent)).toEqual(['Deploy on Fridays?', 'How do I rotate the keys?']);
    expect(screen.getByTestId('question-problems').textContent).toContain('questions/x/question.md:5');
    await userEvent.click(screen.getByTestId('filter-unanswered'));
    await waitFor(() => expect(t.asked.at(-1)?.filter).toBe('unanswered'));
  });

  it('asks a question about an entity and opens it', async () => {
    const t = new QuestionsFake();
    renderApp('/questions?ask=1&entity=component:default/payments', t);
    expect((await screen.findByTestId<HTMLInputElement>('ask-entities')).value).toBe('component:default/payments');
    await userEvent.type(screen.getByTestId('ask-title'), 'Where are the dashboards?');
    await userEvent.click(screen.getByTestId('ask-submit'));
    // The question asked opens (the fake answers every id with one question).
    await screen.findByRole('heading', { name: 'How do I rotate the keys?' });
    expect(t.newQuestions).toEqual([{ title: 'Where are the dashboards?', body: '', tags: [], entityRefs: ['component:default/payments'] }]);
  });

  it('shows a question with its answers and votes on it', async () => {
    const t = new QuestionsFake();
    renderApp('/questions/demo/rotate-keys', t);
    const answers = await screen.findAllByTestId('answer');
    expect(answers[0]!.textContent).toContain('Accepted');
    expect(screen.getByTestId('question-body').innerHTML).toContain('<strong>quarter</strong>');
    await userEvent.click(screen.getByRole('button', { name: 'Vote on the question' }));
    await screen.findByRole('button', { name: 'You voted on the question' });
    expect(t.votes).toEqual([{}]);
    expect(screen.queryByRole('button', { name: 'Accept' })).toBeNull();
  });
});
