import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiDefinition } from './ApiDefinition';

describe('ApiDefinition', () => {
  it('renders a GraphQL schema as its types', () => {
    render(<ApiDefinition type="graphql" definition={'type Query { pet(id: ID!): Pet }\ntype Pet { name: String }'} />);
    expect(screen.getByTestId('graphql').textContent).toContain('Pet');
  });

  it('says a GraphQL definition does not parse, with the source one click away', () => {
    render(<ApiDefinition type="graphql" definition="type Query {" />);
    expect(screen.getByRole('alert').textContent).toContain('The graphql definition does not parse');
    expect(screen.queryByTestId('graphql')).toBeNull();
  });
});
