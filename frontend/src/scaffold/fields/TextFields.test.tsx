import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeSource, renderField } from '../testing';
import { isValidObjectName } from './validators';

describe('Secret', () => {
  it('keeps the secret in secrets and a mask of its length in the value', async () => {
    const user = userEvent.setup();
    const { value, secrets } = renderField({ type: 'string', title: 'Token', 'ui:field': 'Secret' }, new FakeSource());
    const input = screen.getByLabelText<HTMLInputElement>('Token');
    expect(input.type).toBe('password');
    await user.type(input, 'abc123');
    await waitFor(() => expect(value()).toBe('******'));
    expect(secrets).toEqual({ field: 'abc123' });

    await user.click(screen.getByRole('button', { name: 'Show the secret' }));
    expect(input.type).toBe('text');
    expect(input.value).toBe('abc123');
    await user.clear(input);
    await waitFor(() => expect(value()).toBeUndefined());
    expect(secrets).toEqual({ field: '' });
  });
});

describe('EntityNamePicker', () => {
  it('is a text input under Backstage’s default title, focused by ui:autofocus', async () => {
    const user = userEvent.setup();
    const { value } = renderField({ type: 'string', 'ui:field': 'EntityNamePicker', 'ui:autofocus': true, 'ui:placeholder': 'my-service' }, new FakeSource());
    const input = screen.getByLabelText<HTMLInputElement>('Name');
    expect(screen.getByText('Unique name of the component')).toBeTruthy();
    expect(input.placeholder).toBe('my-service');
    expect(document.activeElement).toBe(input);
    await user.type(input, 'payments');
    await waitFor(() => expect(value()).toBe('payments'));
  });

  it('checks names as the catalog does', () => {
    expect(['a', 'payments-api', 'A.b_c', 'x'.repeat(63)].every(isValidObjectName)).toBe(true);
    expect(['', '-a', 'a-', 'a b', 'x'.repeat(64), 3].some(isValidObjectName)).toBe(false);
  });
});

describe('RepoOwnerPicker', () => {
  it('suggests the user’s groups but excludedOwners, and takes any name', async () => {
    const user = userEvent.setup();
    const source = new FakeSource([], { groups: ['group:default/team-a', 'group:default/admins'] });
    const { value } = renderField({ type: 'string', 'ui:field': 'RepoOwnerPicker', 'ui:options': { excludedOwners: ['admins'] } }, source);
    const input = screen.getByLabelText('Owner');
    await user.click(input);
    await waitFor(() => expect(within(screen.getByRole('listbox')).getAllByRole('option').map((o) => o.textContent)).toEqual(['team-a']));
    await user.type(input, 'someone-else');
    await waitFor(() => expect(value()).toBe('someone-else'));
  });
});

describe('RepoBranchPicker', () => {
  it('is a text input for the branch', async () => {
    const user = userEvent.setup();
    const { value } = renderField({ type: 'string', 'ui:field': 'RepoBranchPicker' }, new FakeSource());
    expect(screen.getByText('The branch of the repository')).toBeTruthy();
    await user.type(screen.getByLabelText('Branch'), 'main');
    await waitFor(() => expect(value()).toBe('main'));
  });
});
