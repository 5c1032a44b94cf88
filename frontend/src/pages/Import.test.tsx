import { describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeTransport, renderApp } from '../test/fakes';
import { PortalError } from '../api/transport';
import { Events, type EntityValidation, type ImportPreview, type ImportRequest, type ImportResult, type ImportSource } from '../api/types.gen';

const generatedYAML = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: billing\nspec:\n  type: service\n  lifecycle: experimental\n  owner: group:billing\n';

const bare: ImportPreview = {
  url: 'https://git.example/acme/billing.git',
  branch: 'main',
  commit: '0123456789abcdef',
  entities: [],
  errors: [],
  generated: { path: 'catalog-info.yaml', yaml: generatedYAML, name: 'billing', owner: 'group:billing', ownerSource: 'codeowners', language: 'Go', type: 'service' },
};

const described: ImportPreview = {
  url: 'https://git.example/acme/ledger.git',
  branch: 'main',
  commit: 'fedcba9876543210',
  path: 'catalog-info.yaml',
  entities: [
    { ref: 'component:default/ledger', kind: 'Component', file: 'catalog-info.yaml', line: 1, valid: true, errors: [] },
    { ref: 'api:default/ledger-api', kind: 'API', file: 'catalog-info.yaml', line: 12, valid: false, errors: [{ file: 'catalog-info.yaml', line: 18, column: 3, field: 'spec.owner', message: 'is required' }] },
  ],
  errors: [],
};

/** A portal that previews, validates and imports as the Go service answers. */
class ImportFake extends FakeTransport {
  previews: ImportSource[] = [];
  validated: string[] = [];
  imports: ImportRequest[] = [];
  answer: ImportPreview = bare;
  /** Holds the import's answer until the test lets it go. */
  release: (() => void) | null = null;

  async previewImport(source: ImportSource): Promise<ImportPreview> {
    this.previews.push(source);
    if (source.url.includes('dead')) throw new PortalError({ code: 'invalid', message: `read ${source.url}: connection refused` });
    return this.answer;
  }

  async validateEntityYAML(yaml: string): Promise<EntityValidation> {
    this.validated.push(yaml);
    if (yaml.includes('owner:')) return { valid: true, entities: [{ ref: 'component:default/billing', kind: 'Component', file: 'catalog-info.yaml', line: 1, valid: true, errors: [] }], errors: [] };
    return { valid: false, entities: [{ ref: 'component:default/billing', kind: 'Component', file: 'catalog-info.yaml', line: 1, valid: false, errors: [{ file: 'catalog-info.yaml', line: 6, field: 'spec.owner', message: 'is required' }] }], errors: [] };
  }

  async import(request: ImportRequest): Promise<ImportResult> {
    this.imports.push(request);
    await new Promise<void>((resolve) => (this.release = resolve));
    return { location: { id: 'billing', url: request.url, path: 'catalog-info.yaml', status: 'ok', entities: 1, processingErrors: 0 }, entities: ['component:default/billing'], commit: 'abcdef0123456789' };
  }
}

describe('Import repository', () => {
  it('previews a repository without catalog files, validates the edited YAML live, imports it and shows its sync', async () => {
    const t = new ImportFake();
    renderApp('/catalog/import', t);
    await userEvent.type(screen.getByLabelText('Repository URL or folder'), 'https://git.example/acme/billing.git');
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const editor = await screen.findByLabelText<HTMLTextAreaElement>('Catalog file');
    expect(editor.value).toBe(generatedYAML);
    expect(screen.getByText(/from CODEOWNERS/)).toBeTruthy();
    await screen.findByText('Valid');

    // Taking the owner out is refused with the line and field, and Import waits.
    await userEvent.clear(editor);
    await userEvent.type(editor, 'kind: Component');
    const verdict = await screen.findByTestId('import-verdict');
    expect(within(verdict).getByText('catalog-info.yaml:6 spec.owner')).toBeTruthy();
    expect(within(verdict).getByText('refused')).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Import' }).disabled).toBe(true);

    await userEvent.clear(editor);
    await userEvent.type(editor, 'kind: Component{enter}spec:{enter}  owner: group:billing');
    await screen.findByText('Valid');
    await userEvent.click(screen.getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(t.imports).toHaveLength(1));
    expect(t.imports[0]).toEqual({ url: 'https://git.example/acme/billing.git', yaml: 'kind: Component\nspec:\n  owner: group:billing' });
    act(() => t.emit(Events.SyncProgress, { locationId: 'billing', phase: 'fetch', done: 0, total: 0 }));
    expect((await screen.findByTestId('import-progress')).textContent).toBe('Fetching…');

    act(() => t.release?.());
    const link = await screen.findByRole('link', { name: 'billing' });
    expect(link.getAttribute('href')).toBe('/catalog/component/default/billing');
    expect(screen.getByText('abcdef0')).toBeTruthy();
  });

  it('lists the entities of a catalog file with their verdicts and imports its path', async () => {
    const t = new ImportFake();
    t.answer = described;
    renderApp('/catalog/import', t);
    await userEvent.type(screen.getByLabelText('Repository URL or folder'), 'https://git.example/acme/ledger.git');
    await userEvent.type(screen.getByLabelText('Branch'), 'release');
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const rows = await screen.findAllByTestId('import-verdict');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText('valid')).toBeTruthy();
    expect(within(rows[1]!).getByText('catalog-info.yaml:18:3 spec.owner')).toBeTruthy();
    expect(t.previews).toEqual([{ url: 'https://git.example/acme/ledger.git', branch: 'release' }]);
    expect(screen.queryByLabelText('Catalog file')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(t.imports).toEqual([{ url: 'https://git.example/acme/ledger.git', branch: 'release', path: 'catalog-info.yaml', yaml: undefined }]));
    expect(t.validated).toEqual([]);
  });

  it('says why a repository cannot be read and stays on the first step', async () => {
    const t = new ImportFake();
    renderApp('/catalog/import', t);
    await userEvent.type(screen.getByLabelText('Repository URL or folder'), 'http://127.0.0.1:1/dead.git');
    await userEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect((await screen.findByRole('alert')).textContent).toContain('connection refused');
    expect(screen.getByRole('button', { name: 'Preview' })).toBeTruthy();
    expect(t.imports).toEqual([]);
  });

  it('is reached from the catalog page', async () => {
    renderApp('/catalog', new ImportFake());
    expect((await screen.findByRole('link', { name: /Import repository/ })).getAttribute('href')).toBe('/catalog/import');
  });
});
