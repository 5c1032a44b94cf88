import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { ChevronDown, LoaderCircle, X } from 'lucide-react';

export interface ComboOption {
  value: string;
  label: string;
  /** A second line: the entity's ref, a tag's count. */
  hint?: string;
}

export interface ComboboxProps {
  id: string;
  /** What the input shows; the owner keeps it, so it can show a choice its own way. */
  text: string;
  onTextChange(text: string): void;
  /** The options for the current text, already filtered. */
  options: ComboOption[];
  onPick(option: ComboOption): void;
  /**
   * The user left typed text without picking an option (Enter, Tab, a
   * click elsewhere): the owner takes it as a value, matches it to an
   * option, or puts its own text back.
   */
  onCommit(text: string): void;
  /** Keys the owner handles before the combobox, e.g. Backspace removing the last chip. */
  onKeyDown?(e: KeyboardEvent<HTMLInputElement>): void;
  loading?: boolean;
  /** Why there are no options: the catalog could not be asked. */
  error?: string;
  /** Shown when there is nothing to list and nothing went wrong. */
  emptyText?: string;
  /** A note under the options, e.g. that only the first ones are listed. */
  footer?: string;
  disabled?: boolean;
  readOnly?: boolean;
  required?: boolean;
  invalid?: boolean;
  autoFocus?: boolean;
  placeholder?: string;
  describedBy?: string;
}

/**
 * An editable combobox after the WAI-ARIA pattern: type to filter, arrows
 * to move through the list, Enter to pick, Escape to close. Focus stays in
 * the input; the list shows which option is active. Enter with the list
 * closed is left to the form, so it moves to the next page.
 */
export function Combobox(props: ComboboxProps) {
  const { id, text, onTextChange, options, onPick, onCommit, loading, error, emptyText = 'No matches', footer } = props;
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const optionId = (i: number) => `${listId}-${i}`;

  useEffect(() => {
    if (active >= options.length) setActive(options.length - 1);
  }, [active, options.length]);

  useEffect(() => {
    // jsdom has no scrollIntoView.
    if (open && active >= 0) document.getElementById(`${listId}-${active}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [listId, open, active]);

  const pick = (o: ComboOption) => {
    setOpen(false);
    setActive(-1);
    onPick(o);
  };

  const move = (by: number) => {
    if (!open) setOpen(true);
    if (options.length === 0) return;
    setActive((a) => (a < 0 ? (by > 0 ? 0 : options.length - 1) : (a + by + options.length) % options.length));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    props.onKeyDown?.(e);
    if (e.defaultPrevented) return;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (e.altKey) setOpen(true);
        else move(1);
        break;
      case 'ArrowUp':
        e.preventDefault();
        move(-1);
        break;
      case 'Enter':
        if (!open) return;
        e.preventDefault();
        if (active >= 0 && options[active]) pick(options[active]);
        else {
          setOpen(false);
          onCommit(text);
        }
        break;
      case 'Escape':
        if (open) {
          e.preventDefault();
          setOpen(false);
          setActive(-1);
        }
        break;
      case 'Home':
      case 'End':
        if (open && options.length > 0 && active >= 0) {
          e.preventDefault();
          setActive(e.key === 'Home' ? 0 : options.length - 1);
        }
        break;
    }
  };

  const status = loading ? 'Loading…' : error ? error : options.length === 0 ? emptyText : footer;
  const expanded = open && !props.disabled && !props.readOnly;
  return (
    <div className="combo">
      <div className="combo-control">
        <input
          id={id}
          className="combo-input"
          role="combobox"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
          aria-invalid={props.invalid || undefined}
          aria-required={props.required || undefined}
          aria-describedby={props.describedBy}
          autoComplete="off"
          spellCheck={false}
          value={text}
          placeholder={props.placeholder}
          disabled={props.disabled}
          readOnly={props.readOnly}
          autoFocus={props.autoFocus}
          onChange={(e) => {
            onTextChange(e.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onKeyDown={onKeyDown}
          onClick={() => setOpen(true)}
          onBlur={() => {
            if (open) setOpen(false);
            setActive(-1);
            onCommit(text);
          }}
        />
        {loading && <LoaderCircle size={14} className="spin combo-spinner" aria-hidden="true" />}
        <button
          type="button"
          className="combo-toggle"
          tabIndex={-1}
          aria-label="Show options"
          disabled={props.disabled || props.readOnly}
          // Keeps focus in the input, which the list belongs to.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            setOpen(!open);
            document.getElementById(id)?.focus();
          }}
        >
          <ChevronDown size={15} aria-hidden="true" />
        </button>
      </div>
      <div className="combo-popup" hidden={!expanded}>
        <ul id={listId} role="listbox" className="combo-list" aria-label="Options">
          {options.map((o, i) => (
            <li
              key={o.value}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'combo-option active' : 'combo-option'}
              onMouseDown={(e) => e.preventDefault()}
              onMouseMove={() => i !== active && setActive(i)}
              onClick={() => pick(o)}
            >
              <span className="combo-option-label">{o.label}</span>
              {o.hint && <span className="combo-option-hint">{o.hint}</span>}
            </li>
          ))}
        </ul>
        {status && (
          <div className={error && !loading ? 'combo-status combo-status-error' : 'combo-status'} role="status">
            {status}
          </div>
        )}
      </div>
    </div>
  );
}

/** The values a multi-value picker holds, each with a button to take it out. */
export function Chips({ items, onRemove, disabled }: { items: ComboOption[]; onRemove(value: string): void; disabled?: boolean }) {
  if (items.length === 0) return null;
  return (
    <ul className="scaffold-chips">
      {items.map((item) => (
        <li key={item.value} className="scaffold-chip" title={item.hint}>
          {item.label}
          {!disabled && (
            <button type="button" className="scaffold-chip-remove" aria-label={`Remove ${item.label}`} onClick={() => onRemove(item.value)}>
              <X size={12} aria-hidden="true" />
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
