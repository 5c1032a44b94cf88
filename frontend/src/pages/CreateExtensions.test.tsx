import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp } from '../test/fakes';

function portal() {
  const t = new FakeTransport();
  t.extensions = {
    exampleValues: { repoUrl: 'github.com?owner=acme&repo=api' },
    extensions: [
      { name: 'parseRepoUrl', kind: 'filter', from: 'backstage', signature: 'repoUrl | parseRepoUrl', description: 'Splits a RepoUrlPicker value', example: '${{ parameters.repoUrl | parseRepoUrl }}' },
      { name: 'upper', kind: 'filter', from: 'nunjucks', signature: 'text | upper', description: 'The text in upper case.', example: "${{ 'go' | upper }}" },
      { name: 'range', kind: 'global', from: 'nunjucks', signature: 'range([start,] stop[, step])', description: 'A list of numbers', example: '${{ range(3) }}' },
    ],
  };
  t.evaluate = (req) =>
    req.expression.includes('nosuch') ? { text: '', error: 'filter not found: nosuch' } : { text: `text of ${req.expression}`, value: { got: req.expression, values: req.values } };
  return t;
}

describe('Templating extensions', () => {
  it('lists the filters and globals by group, each with its signature and example', async () => {
    renderApp('/create/extensions', portal());
    const backstage = within(await screen.findByRole('region', { name: "Backstage's filters" }));
    expect(backstage.getByRole('heading', { name: 'parseRepoUrl' })).toBeTruthy();
    expect(backstage.getByText('repoUrl | parseRepoUrl')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: "Nunjucks' filters" })).getByRole('heading', { name: 'upper' })).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Globals' })).getByRole('heading', { name: 'range' })).toBeTruthy();
  });

  it('renders an expression with the example values through the portal, and what Try it picks', async () => {
    const user = userEvent.setup();
    const t = portal();
    renderApp('/create/extensions', t);
    const value = await screen.findByLabelText('Value');
    await waitFor(() => expect(JSON.parse(value.textContent ?? '')).toEqual({ got: '${{ parameters.repoUrl | parseRepoUrl }}', values: { repoUrl: 'github.com?owner=acme&repo=api' } }));
    await user.click(screen.getByRole('button', { name: 'Try upper' }));
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: 'Expression' }).value).toBe("${{ 'go' | upper }}");
    await waitFor(() => expect(screen.getByLabelText('Text').textContent).toBe("text of ${{ 'go' | upper }}"));
  });

  it('says why an expression does not render, and when the values are not an object', async () => {
    const user = userEvent.setup();
    renderApp('/create/extensions', portal());
    const expression = await screen.findByRole('textbox', { name: 'Expression' });
    await user.clear(expression);
    await user.type(expression, 'x | nosuch');
    expect(await screen.findByText('filter not found: nosuch')).toBeTruthy();
    const values = screen.getByRole('textbox', { name: 'Values' });
    await user.clear(values);
    await user.type(values, '[[1]');
    expect(await screen.findByText('The values must be a JSON object.')).toBeTruthy();
  });
});
