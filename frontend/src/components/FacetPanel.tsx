import { useState } from 'react';
import type { FacetCount } from '../api/types.gen';
import type { Facet } from '../api/facets';
import { displayRef } from '../api/refs';
import { kindPlural } from '../kinds';

const TITLES: Record<Facet, string> = {
  kind: 'Kind',
  type: 'Type',
  owner: 'Owner',
  lifecycle: 'Lifecycle',
  level: 'Scorecard level',
  tag: 'Tags',
  namespace: 'Namespace',
  system: 'System',
};

/** How many values a facet shows before "Show all". */
const SHOWN = 8;

function label(facet: Facet, value: string): string {
  if (facet === 'kind') return kindPlural(value);
  if (facet === 'owner' || facet === 'system') return displayRef(value);
  if (facet === 'level') {
    // scorecard:level, the level empty below the first
    const i = value.lastIndexOf(':');
    return i < 0 ? value : `${value.slice(0, i)} · ${value.slice(i + 1) || 'None'}`;
  }
  return value;
}

/** One facet's values as checkboxes with their counts; selected values stay listed even at zero. */
export function FacetGroup({
  facet,
  counts,
  selected,
  onChange,
  title,
  label: labelOf,
  testId,
}: {
  facet: Facet;
  counts: FacetCount[];
  selected: string[];
  onChange: (values: string[]) => void;
  /** Overrides the facet's heading. */
  title?: string;
  /** Overrides how a value is written. */
  label?: (value: string) => string;
  testId?: string;
}) {
  const [all, setAll] = useState(false);
  const values = [...counts];
  for (const v of selected) if (!values.some((c) => c.value === v)) values.push({ value: v, count: 0 });
  if (values.length === 0) return null;
  const shown = all ? values : values.slice(0, SHOWN);
  const toggle = (v: string) => onChange(selected.includes(v) ? selected.filter((s) => s !== v) : [...selected, v]);
  return (
    <fieldset className="facet" data-testid={testId ?? `facet-${facet}`}>
      <legend>
        {title ?? TITLES[facet]}
        {selected.length > 0 && (
          <button type="button" className="link-button" onClick={() => onChange([])}>
            clear
          </button>
        )}
      </legend>
      {shown.map((c) => (
        <label key={c.value} className="facet-value" title={c.value}>
          <input type="checkbox" checked={selected.includes(c.value)} onChange={() => toggle(c.value)} />
          <span className="facet-label">{labelOf ? labelOf(c.value) : label(facet, c.value)}</span>
          <span className="count">{c.count}</span>
        </label>
      ))}
      {values.length > SHOWN && (
        <button type="button" className="link-button" onClick={() => setAll(!all)}>
          {all ? 'Show fewer' : `Show all ${values.length}`}
        </button>
      )}
    </fieldset>
  );
}
