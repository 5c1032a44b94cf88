import { useEffect, useState } from 'react';
import { ariaDescribedByIds, type FieldProps, type UiSchema } from '@rjsf/utils';

/** A field's ui:options, read loosely: templates are YAML written by hand. */
export function uiOptions<T>(uiSchema: UiSchema<T> | undefined): Record<string, unknown> {
  const o = uiSchema?.['ui:options'];
  return typeof o === 'object' && o !== null && !Array.isArray(o) ? (o as Record<string, unknown>) : {};
}

export const stringList = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;

export const optionalString = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** What every field extension's input carries for its label, description and errors. */
export function inputProps<T>(props: FieldProps<T>) {
  const id = props.fieldPathId.$id;
  return {
    id,
    describedBy: ariaDescribedByIds(id),
    invalid: (props.rawErrors?.length ?? 0) > 0,
    disabled: props.disabled || props.uiSchema?.['ui:disabled'] === true,
    readOnly: props.readonly,
    required: props.required,
    autoFocus: props.autofocus,
    placeholder: optionalString(props.uiSchema?.['ui:placeholder']),
  };
}

/** value after it has stopped changing for ms: typing asks the catalog once, not per key. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

export interface Loaded<T> {
  value?: T;
  loading: boolean;
  error?: string;
}

/**
 * Runs load whenever key changes and keeps only the newest answer, so a
 * slow answer to an old query never replaces a newer one.
 */
export function useLoaded<T>(key: string, load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ loading: true });
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (value) => live && setState({ value, loading: false }),
      (e: unknown) => live && setState({ loading: false, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- load is a new closure each render; key says when it asks something new.
  }, [key]);
  return state;
}
