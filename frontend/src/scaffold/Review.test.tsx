import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import type { TemplateStep } from '../api/types.gen';
import { UnavailableSteps } from './Review';

describe('UnavailableSteps', () => {
  const steps: TemplateStep[] = [
    { id: 'fetch', name: 'Fetch', action: 'fetch:template' },
    { id: 'argo', name: 'Create the Argo CD app', action: 'argocd:create-resources', unavailable: 'action argocd:create-resources is not installed: it needs a server; a plugin can provide it' },
    { id: 'argo', name: 'Apply', action: 'kube:apply', unavailable: 'action kube:apply is not installed: it needs a server; a plugin can provide it' },
  ];

  it('lists the steps that cannot run here, with why', () => {
    render(<UnavailableSteps steps={steps} />);
    const list = within(screen.getByLabelText('Steps that cannot run here'));
    expect(list.getByRole('heading').textContent).toBe('2 steps cannot run here');
    const items = list.getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual([
      'Create the Argo CD app argocd:create-resources: action argocd:create-resources is not installed: it needs a server; a plugin can provide it.',
      'Apply kube:apply: action kube:apply is not installed: it needs a server; a plugin can provide it.',
    ]);
    expect(list.getByText(/A dry run skips them/)).toBeTruthy();
  });

  it('says nothing when every step can run', () => {
    const { container } = render(<UnavailableSteps steps={steps.slice(0, 1)} />);
    expect(container.textContent).toBe('');
  });
});
