import { useCallback, useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import type { FieldProps } from '@rjsf/utils';
import { scaffoldContext } from '../context';
import { displayEntityRef, normalizeRef } from '../refs';
import { Chips, Combobox, type ComboOption } from './Combobox';
import { catalogFilter, entityOption, names, PICKER_LIMIT, refDefaults, searchText } from './EntityPicker';
import { inputProps, uiOptions, useDebounced, useLoaded } from './common';

/**
 * ui:field MultiEntityPicker: several entities of catalogFilter, stored as
 * full refs. Typed text that names no listed entity is added as it parses
 * (with defaultKind and defaultNamespace) where arbitrary values are allowed.
 */
export function MultiEntityPicker(props: FieldProps<string[]>) {
  const { formData, onChange, fieldPathId, required, schema, registry } = props;
  const { source } = scaffoldContext(registry);
  const o = uiOptions(props.uiSchema);
  const filter = catalogFilter(o.catalogFilter);
  const defaults = refDefaults(o);
  const allowArbitrary = o.allowArbitraryValues !== false;
  const selected = useMemo(() => formData ?? [], [formData]);
  const full = schema.maxItems !== undefined && selected.length >= schema.maxItems;

  const [text, setText] = useState('');
  const [notice, setNotice] = useState<string>();
  // Options picked keep their titles for the chips after the list moves on.
  const [picked, setPicked] = useState<Record<string, ComboOption>>({});
  const query = useDebounced(searchText(text), 150);
  const loaded = useLoaded(`${JSON.stringify(filter)}\n${query}`, () =>
    source.entities({ filter, text: query || undefined, limit: PICKER_LIMIT }),
  );
  const entities = loaded.value ?? [];
  const set = useCallback((v: string[]) => onChange(v, fieldPathId.path), [onChange, fieldPathId]);

  const only = required && !allowArbitrary && !loaded.loading && query === '' && entities.length === 1 ? entities[0] : undefined;
  useEffect(() => {
    if (only && (selected.length !== 1 || selected[0] !== only.ref)) set([only.ref]);
  }, [only, selected, set]);

  const add = (option: ComboOption) => {
    setText('');
    setNotice(undefined);
    if (full || selected.includes(option.value)) return;
    setPicked((p) => ({ ...p, [option.value]: option }));
    set([...selected, option.value]);
  };

  const remove = (ref: string) => {
    set(selected.filter((v) => v !== ref));
    document.getElementById(fieldPathId.$id)?.focus();
  };

  const commit = (typed: string) => {
    const t = typed.trim();
    if (!t) return;
    const match = entities.find((e) => names(t, e, defaults));
    if (match) return add(entityOption(match, defaults));
    if (allowArbitrary) {
      const ref = normalizeRef(t, defaults);
      return add({ value: ref, label: displayEntityRef(ref, defaults) });
    }
    setText('');
    setNotice(`“${t}” is not one of the listed entities.`);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const last = selected[selected.length - 1];
    if (e.key === 'Backspace' && text === '' && last !== undefined && !only) {
      e.preventDefault();
      remove(last);
    }
  };

  const ip = inputProps(props);
  const chips = selected.map((ref) => picked[ref] ?? { value: ref, label: displayEntityRef(ref, defaults) });
  return (
    <div className="scaffold-multi">
      <Chips items={chips} onRemove={remove} disabled={ip.disabled || ip.readOnly || only !== undefined} />
      <Combobox
        {...ip}
        required={ip.required && selected.length === 0}
        disabled={ip.disabled || full || only !== undefined}
        placeholder={full ? `At most ${schema.maxItems}` : ip.placeholder}
        text={text}
        onTextChange={(t) => {
          setText(t);
          setNotice(undefined);
        }}
        options={entities.filter((e) => !selected.includes(e.ref)).map((e) => entityOption(e, defaults))}
        onPick={add}
        onCommit={commit}
        onKeyDown={onKeyDown}
        loading={loaded.loading}
        error={loaded.error && `Could not list entities: ${loaded.error}`}
        emptyText={text ? 'No matching entities' : 'No more entities to choose from'}
        footer={entities.length >= PICKER_LIMIT ? `The first ${PICKER_LIMIT} — type to narrow them down` : undefined}
      />
      {notice && (
        <p className="scaffold-notice" role="status">
          {notice}
        </p>
      )}
    </div>
  );
}
