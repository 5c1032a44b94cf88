import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp } from '../test/fakes';
import type { Location } from '../api/types.gen';

const repo = (id: string, more: Partial<Location> = {}): Location => ({ id, url: `https://git.example/${id}.git`, path: 'catalog-info.yaml', status: 'ok', headCommit: 'abcdef0123', entities: 1, processingErrors: 0, ...more });

describe('Settings: the Q&A location', () => {
  it('offers the repositories questions can go to, and saves the one chosen', async () => {
    const t = new FakeTransport([], {}, [repo('platform'), repo('qa'), repo('plugin-ci', { url: 'plugin:ci' })]);
    renderApp('/settings', t);
    const card = within(await screen.findByTestId('questions-settings'));
    const select = card.getByRole('combobox', { name: 'Q&A location' });
    await waitFor(() => expect(within(select).getAllByRole('option').map((o) => o.getAttribute('value'))).toEqual(['', 'platform', 'qa']));
    await userEvent.selectOptions(select, 'qa');
    await waitFor(() => expect(t.settingsValue.questionsLocation).toBe('qa'));
    expect((await card.findByRole('status')).textContent).toBe('Saved.');
    await userEvent.selectOptions(select, '');
    await waitFor(() => expect(t.settingsValue.questionsLocation).toBe(''));
  });
});
