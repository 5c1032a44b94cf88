import { useEffect, useState, type KeyboardEvent } from 'react';
import type { FieldProps } from '@rjsf/utils';
import { scaffoldContext } from '../context';
import { Chips, Combobox } from './Combobox';
import { inputProps, stringList, uiOptions, useLoaded } from './common';
import { compareText } from '../../locale';

/** catalog-model's tag rule (makeValidator().isValidTag). */
export const isValidTag = (tag: string) => tag.length >= 1 && tag.length <= 63 && /^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/.test(tag);

/**
 * ui:field EntityTagsPicker: tags, suggested from those the catalog (or its
 * entities of ui:options.kinds) already uses — by use with showCounts, else
 * alphabetically. New tags are lower-cased and must be valid catalog tags.
 */
export function EntityTagsPicker(props: FieldProps<string[]>) {
  const { formData, onChange, fieldPathId, registry } = props;
  const { source } = scaffoldContext(registry);
  const o = uiOptions(props.uiSchema);
  const kinds = stringList(o.kinds);
  const showCounts = o.showCounts === true;
  const selected = formData ?? [];
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState<string>();
  const loaded = useLoaded(JSON.stringify(kinds ?? null), () => source.tags(kinds));
  const set = (v: string[]) => onChange(v, fieldPathId.path);

  // Backstage's picker starts the value as a list, so templates always get one.
  useEffect(() => {
    if (formData === undefined) onChange([], fieldPathId.path);
  }, [formData, onChange, fieldPathId]);

  const add = (raw: string) => {
    const tag = raw.toLowerCase().trim();
    if (!tag) return;
    if (!isValidTag(tag)) {
      setInvalid(`“${tag}” is not a valid tag: use a-z, 0-9, +, # and : in words joined by single dashes, at most 63 characters.`);
      return;
    }
    setInvalid(undefined);
    setText('');
    if (!selected.includes(tag)) set([...selected, tag]);
  };

  const remove = (tag: string) => {
    set(selected.filter((t) => t !== tag));
    document.getElementById(fieldPathId.$id)?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const last = selected[selected.length - 1];
    if (e.key === 'Backspace' && text === '' && last !== undefined) {
      e.preventDefault();
      remove(last);
    }
  };

  const needle = text.trim().toLowerCase();
  const options = (loaded.value ?? [])
    .filter((t) => !selected.includes(t.tag) && t.tag.includes(needle))
    .sort((a, b) => (showCounts ? b.count - a.count : 0) || compareText(a.tag, b.tag))
    .map((t) => ({ value: t.tag, label: t.tag, hint: showCounts ? `${t.count} ${t.count === 1 ? 'entity' : 'entities'}` : undefined }));

  const ip = inputProps(props);
  return (
    <div className="scaffold-multi">
      <Chips items={selected.map((t) => ({ value: t, label: t }))} onRemove={remove} disabled={ip.disabled || ip.readOnly} />
      <Combobox
        {...ip}
        invalid={ip.invalid || invalid !== undefined}
        required={ip.required && selected.length === 0}
        text={text}
        onTextChange={(t) => {
          setText(t);
          setInvalid(undefined);
        }}
        options={options}
        onPick={(opt) => add(opt.value)}
        onCommit={add}
        onKeyDown={onKeyDown}
        loading={loaded.loading}
        error={loaded.error && `Could not list the catalog's tags: ${loaded.error}`}
        emptyText={needle ? 'Press Enter to add it' : 'Type a tag and press Enter'}
      />
      {invalid && (
        <p className="scaffold-notice scaffold-notice-error" role="alert">
          {invalid}
        </p>
      )}
    </div>
  );
}
