import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { parse } from 'yaml';
import { FakeTransport, renderApp, summary } from '../test/fakes';
import { fieldDocs } from '../scaffold/fields/docs';
import { fieldNames, fieldYaml } from './CreateFields';

describe('Field explorer', () => {
  it('documents every field extension the form registers, and no other', () => {
    expect(Object.keys(fieldDocs).sort()).toEqual(fieldNames());
    for (const name of fieldNames()) {
      expect(fieldDocs[name]!.example['ui:field'], name).toBe(name);
    }
  });

  it('gives YAML that reads back as the property', () => {
    const yaml = fieldYaml('owner', fieldDocs.OwnerPicker!.example);
    expect(parse(yaml)).toEqual({ owner: fieldDocs.OwnerPicker!.example });
  });

  it('shows a field with its options, live over the catalog, and the YAML to paste', async () => {
    const user = userEvent.setup();
    const t = new FakeTransport([summary('Group', 'payments', { title: 'Payments team' }), summary('System', 'ledger')]);
    renderApp('/create/fields', t);
    const list = within(await screen.findByRole('navigation', { name: 'Fields' }));
    expect(list.getAllByRole('button').map((b) => b.textContent)).toEqual(fieldNames());
    await user.click(list.getByRole('button', { name: 'OwnerPicker' }));
    const field = within(screen.getByTestId('field'));
    expect(field.getByRole('heading', { name: 'OwnerPicker' })).toBeTruthy();
    expect(field.getByRole('table', { name: 'OwnerPicker options' }).textContent).toContain('catalogFilter');
    expect(field.getByLabelText('OwnerPicker YAML').textContent).toContain('ui:field: OwnerPicker');
    await user.click(field.getByRole('button', { name: 'Copy YAML' }));
    expect(await navigator.clipboard.readText()).toBe(field.getByLabelText('OwnerPicker YAML').textContent);
    expect(field.getByRole('button', { name: 'Copied' })).toBeTruthy();
    const input = field.getByRole('combobox', { name: /Owner/ });
    await user.click(input);
    await user.click(await screen.findByRole('option', { name: /Payments team/ }));
    await waitFor(() => expect(field.getByLabelText('owner value').textContent).toBe('parameters.owner = "group:default/payments"'));
  });
});
