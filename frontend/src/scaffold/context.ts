import type { Registry } from '@rjsf/utils';
import type { CatalogSource } from './source';

/**
 * What the field extensions get through react-jsonschema-form's
 * formContext. It stays the same object for the life of a form, so typing
 * a secret does not make the form rebuild its registry.
 */
export interface ScaffoldContext {
  source: CatalogSource;
  /** The secret a Secret field holds, by the field's name. */
  secret(name: string): string | undefined;
  setSecret(name: string, value: string): void;
}

export function scaffoldContext(registry: Registry): ScaffoldContext {
  const ctx = registry.formContext as Partial<ScaffoldContext> | undefined;
  if (!ctx?.source) throw new Error('template form fields need a formContext with a catalog source');
  return ctx as ScaffoldContext;
}
