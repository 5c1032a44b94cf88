import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TemplateForm, type TemplateSubmission } from './TemplateForm';
import { FakeSource } from './testing';

const parameters = [
  {
    title: 'Answer some questions',
    description: 'Used to fill in the **landing page**.',
    required: ['name', 'mode'],
    properties: {
      name: { title: 'What is your name?', type: 'string', 'ui:autofocus': true },
      mode: { title: 'Light or dark?', type: 'string', enum: ['light', 'dark'], enumNames: ['Light', 'Dark'], 'ui:widget': 'radio' },
      notes: { title: 'Notes', type: 'string', 'ui:backstage': { review: { show: false } } },
    },
  },
  {
    title: 'Credentials',
    required: ['token'],
    properties: {
      token: { title: 'API token', type: 'string', 'ui:field': 'Secret' },
      color: { title: 'Color', type: 'string', default: 'blue' },
    },
  },
];

function setup(props: Partial<Parameters<typeof TemplateForm>[0]> = {}) {
  const onSubmit = vi.fn<(s: TemplateSubmission) => void>();
  const onDryRun = vi.fn<(s: TemplateSubmission) => void>();
  const user = userEvent.setup();
  render(<TemplateForm parameters={parameters} source={new FakeSource()} onSubmit={onSubmit} onDryRun={onDryRun} {...props} />);
  return { user, onSubmit, onDryRun };
}

const next = () => screen.getByRole('button', { name: /^(Next|Review)$/ });
const heading = () => screen.getByRole('heading', { level: 2 }).textContent;

describe('TemplateForm', () => {
  it('shows the steps, the page’s title and description, and focuses ui:autofocus', async () => {
    setup();
    const steps = within(screen.getByRole('navigation', { name: 'Steps' })).getAllByRole('listitem');
    expect(steps.map((s) => s.textContent)).toEqual(['1Answer some questions', '2Credentials', '3Review']);
    expect(steps[0]!.getAttribute('aria-current')).toBe('step');
    expect(heading()).toBe('Answer some questions');
    expect(screen.getByText('landing page').tagName).toBe('STRONG');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText(/What is your name/)));
  });

  it('keeps a page with a missing required field, with the error under it', async () => {
    const { user } = setup();
    await user.click(next());
    expect((await screen.findByRole('alert')).textContent).toBe('2 fields need your attention.');
    expect(heading()).toBe('Answer some questions');
    const name = screen.getByLabelText(/What is your name/);
    expect(name.getAttribute('aria-describedby')).toContain('scaffold_name__error');
    expect(document.getElementById('scaffold_name__error')?.textContent).toBe('Required');
    expect(document.activeElement).toBe(name);

    // Fixing a field clears its error as the user types.
    await user.type(name, 'Ada');
    await waitFor(() => expect(document.getElementById('scaffold_name__error')).toBeNull());
    expect(screen.getByRole('alert').textContent).toBe('One field needs your attention.');
  });

  it('moves on with Enter, comes back with Back keeping the values, and reviews what was entered', async () => {
    const { user, onSubmit } = setup();
    await user.type(screen.getByLabelText(/What is your name/), 'Ada');
    await user.click(screen.getByLabelText('Dark'));
    await user.type(screen.getByLabelText(/Notes/), 'private{Enter}');
    await waitFor(() => expect(heading()).toBe('Credentials'));
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2 }));
    expect(screen.getByRole('button', { name: 'Answer some questions (done)' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: /Back/ }));
    await waitFor(() => expect(heading()).toBe('Answer some questions'));
    expect(screen.getByLabelText<HTMLInputElement>(/What is your name/).value).toBe('Ada');
    expect(screen.getByLabelText<HTMLInputElement>('Dark').checked).toBe(true);
    await user.click(next());

    await user.type(await screen.findByLabelText(/API token/), 's3cret');
    await user.click(screen.getByRole('button', { name: 'Review' }));
    await waitFor(() => expect(heading()).toBe('Review'));

    const rows = screen.getAllByRole('row').map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent).filter(Boolean));
    expect(rows).toEqual([
      ['Answer some questions'],
      ['What is your name?', 'Ada'],
      ['Light or dark?', 'Dark'],
      ['Credentials'],
      ['API token', '******'],
      ['Color', 'blue'],
    ]);
    expect(screen.queryByText('s3cret')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]![0]).toEqual({
      values: { name: 'Ada', mode: 'dark', notes: 'private', color: 'blue' },
      secrets: { token: 's3cret' },
    });
  });

  it('goes back to a page from its review row, and straight back to the review after', async () => {
    const { user, onDryRun } = setup({ initialValues: { name: 'Ada', mode: 'light' } });
    await user.click(next());
    await user.type(await screen.findByLabelText(/API token/), 'x');
    await user.click(screen.getByRole('button', { name: 'Review' }));
    await user.click(await screen.findByRole('button', { name: 'Edit Light or dark?' }));
    await waitFor(() => expect(heading()).toBe('Answer some questions'));
    // ui:autofocus takes the focus on arrival; without it the page's heading has it.
    expect(document.activeElement).toBe(screen.getByLabelText(/What is your name/));
    await user.click(screen.getByLabelText('Dark'));
    await user.click(screen.getByRole('button', { name: 'Review' }));
    await waitFor(() => expect(heading()).toBe('Review'));
    expect(screen.getByText('Dark')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Dry run' }));
    await waitFor(() => expect(onDryRun).toHaveBeenCalledWith({ values: { name: 'Ada', mode: 'dark', color: 'blue' }, secrets: { token: 'x' } }));
  });

  it('sends the user to the page that no longer validates instead of creating', async () => {
    const { user, onSubmit } = setup({ initialValues: { name: 'Ada', mode: 'light' } });
    await user.click(next());
    await user.type(await screen.findByLabelText(/API token/), 'x');
    await user.click(screen.getByRole('button', { name: 'Review' }));
    await user.click(await screen.findByRole('button', { name: 'Edit API token' }));
    await user.clear(await screen.findByLabelText(/API token/));
    await user.click(screen.getByRole('button', { name: /Answer some questions/ }));
    await waitFor(() => expect(heading()).toBe('Answer some questions'));
    await user.click(next());
    // Review was reached before: Next skips ahead, but stops at the page with the emptied secret.
    await waitFor(() => expect(heading()).toBe('Credentials'));
    expect(await screen.findByText('Required')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('goes straight to the review for a template without parameters', async () => {
    const { user, onSubmit } = setup({ parameters: undefined, submitLabel: 'Run' });
    expect(heading()).toBe('Review');
    expect(screen.queryByRole('navigation')).toBeNull();
    expect(screen.getByText(/asks for nothing/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Run' }));
    expect(onSubmit).toHaveBeenCalledWith({ values: {}, secrets: {} });
  });

  it('waits while busy', async () => {
    setup({ parameters: [], busy: true });
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Create' }).disabled).toBe(true);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Dry run' }).disabled).toBe(true);
  });
});
