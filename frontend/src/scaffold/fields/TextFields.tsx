import { useState } from 'react';
import { Eye, EyeOff } from 'lucide-react';
import type { FieldProps } from '@rjsf/utils';
import { scaffoldContext } from '../context';
import { inputProps } from './common';

/** A field extension's plain text input; an emptied input clears the value, as rjsf's own do. */
function TextInput({ field, type = 'text' }: { field: FieldProps<string>; type?: string }) {
  const ip = inputProps(field);
  return (
    <input
      type={type}
      className="scaffold-input"
      id={ip.id}
      name={ip.id}
      value={field.formData ?? ''}
      onChange={(e) => field.onChange(e.target.value === '' ? undefined : e.target.value, field.fieldPathId.path)}
      onBlur={(e) => field.onBlur(ip.id, e.target.value)}
      aria-describedby={ip.describedBy}
      aria-invalid={ip.invalid || undefined}
      required={ip.required}
      disabled={ip.disabled}
      readOnly={ip.readOnly}
      autoFocus={ip.autoFocus}
      placeholder={ip.placeholder}
      spellCheck={false}
    />
  );
}

/** ui:field EntityNamePicker: the new entity's name, checked against the catalog's rule for names. */
export function EntityNamePicker(props: FieldProps<string>) {
  return <TextInput field={props} />;
}

/** ui:field RepoBranchPicker: a branch of the repository RepoUrlPicker chose. */
export function RepoBranchPicker(props: FieldProps<string>) {
  return <TextInput field={props} />;
}

/**
 * ui:field Secret: the value goes to the template's secrets under the
 * field's name, never into its parameters. The form keeps a mask as long as
 * the secret, so required, minLength and maxLength still hold — as in
 * Backstage.
 */
export function Secret(props: FieldProps<string>) {
  const { name, registry, fieldPathId, onChange } = props;
  const ctx = scaffoldContext(registry);
  const [value, setValue] = useState(() => ctx.secret(name) ?? '');
  const [visible, setVisible] = useState(false);
  const ip = inputProps(props);
  const change = (v: string) => {
    setValue(v);
    ctx.setSecret(name, v);
    onChange(v ? '*'.repeat(v.length) : undefined, fieldPathId.path);
  };
  return (
    <div className="scaffold-secret">
      <input
        type={visible ? 'text' : 'password'}
        className="scaffold-input"
        id={ip.id}
        name={ip.id}
        value={value}
        onChange={(e) => change(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        aria-describedby={ip.describedBy}
        aria-invalid={ip.invalid || undefined}
        required={ip.required}
        disabled={ip.disabled}
        readOnly={ip.readOnly}
        autoFocus={ip.autoFocus}
        placeholder={ip.placeholder}
      />
      <button
        type="button"
        className="icon-button"
        aria-label={visible ? 'Hide the secret' : 'Show the secret'}
        aria-pressed={visible}
        title={visible ? 'Hide' : 'Show'}
        onClick={() => setVisible(!visible)}
        disabled={ip.disabled}
      >
        {visible ? <EyeOff size={15} aria-hidden="true" /> : <Eye size={15} aria-hidden="true" />}
      </button>
    </div>
  );
}
