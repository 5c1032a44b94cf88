/**
 * The one place the UI picks a language and formats with Intl. WebKitGTK
 * reports navigator.language "C" under LANG=C.UTF-8 (the locale of most
 * containers, CI machines and minimal installs), and every Intl constructor
 * throws on that tag; so no component passes a tag of its own to Intl.
 */

/** A BCP 47 tag Intl accepts, from a tag or a POSIX locale name (de_DE.UTF-8@euro); undefined for C, POSIX and non-languages. */
export function usableTag(name: string | undefined | null): string | undefined {
  if (!name) return undefined;
  const tag = name.split('@')[0]!.split('.')[0]!.replace(/_/g, '-').trim();
  if (!tag || /^(c|posix|und)$/i.test(tag)) return undefined;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical && !/^und\b/i.test(canonical) ? canonical : undefined;
  } catch {
    return undefined;
  }
}

/** The first usable tag of candidates, else English. */
export function resolveLocale(candidates: readonly (string | undefined | null)[]): string {
  for (const c of candidates) {
    const tag = usableTag(c);
    if (tag) return tag;
  }
  return 'en';
}

function browserLanguages(): string[] {
  if (typeof navigator === 'undefined') return [];
  return [...(navigator.languages ?? []), navigator.language];
}

let current = resolveLocale(browserLanguages());
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.Collator>();

/**
 * Sets the language from the Go side's (the user's environment: LANGUAGE,
 * LC_ALL, LC_MESSAGES, LANG), falling back to the browser's, then English.
 */
export function setLanguage(fromEnvironment: string | undefined): string {
  current = resolveLocale([fromEnvironment, ...browserLanguages()]);
  cache.clear();
  return current;
}

/** The tag every formatter below uses. */
export function appLocale(): string {
  return current;
}

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.Collator>(key: string, make: () => T): T {
  const k = `${current}|${key}`;
  let f = cache.get(k) as T | undefined;
  if (!f) {
    f = make();
    cache.set(k, f);
  }
  return f;
}

/** A number in the user's language: 12,345 or 12.345. */
export function formatNumber(n: number, options: Intl.NumberFormatOptions = {}): string {
  return cached(`n${JSON.stringify(options)}`, () => new Intl.NumberFormat(current, options)).format(n);
}

/** A date or time in the user's language; an invalid date is shown as the text it came from, never thrown. */
export function formatDate(value: Date | string | number, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return cached(`d${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(current, options)).format(d);
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 minutes ago" / "vor 3 Minuten" for an RFC 3339 time; "never" when there is none. */
export function relativeTime(iso: string | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const seconds = Math.round((t - now) / 1000);
  const fmt = cached('r', () => new Intl.RelativeTimeFormat(current, { numeric: 'auto' }));
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return fmt.format(Math.round(seconds / size), unit);
  }
  return fmt.format(0, 'second');
}

/** Compares two strings as the user's language sorts them. */
export function compareText(a: string, b: string): number {
  return cached('c', () => new Intl.Collator(current)).compare(a, b);
}
