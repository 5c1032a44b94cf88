import { afterEach, describe, expect, it, vi } from 'vitest';
import { appLocale, compareText, formatDate, formatNumber, relativeTime, resolveLocale, setLanguage, usableTag } from './locale';

afterEach(() => {
  vi.unstubAllGlobals();
  setLanguage('en');
});

/** navigator as WebKitGTK has it under LANG=C.UTF-8. */
function stubNavigator(language: string, languages: string[] = [language]) {
  vi.stubGlobal('navigator', { ...navigator, language, languages });
}

describe('usableTag', () => {
  it.each([
    ['C', undefined],
    ['c', undefined],
    ['C.UTF-8', undefined],
    ['POSIX', undefined],
    ['und', undefined],
    ['', undefined],
    [undefined, undefined],
    ['%%', undefined],
    ['de_DE.UTF-8', 'de-DE'],
    ['de_AT@euro', 'de-AT'],
    ['en-us', 'en-US'],
    ['pt_BR', 'pt-BR'],
    ['zh-Hant-TW', 'zh-Hant-TW'],
  ])('%s → %s', (name, want) => {
    expect(usableTag(name)).toBe(want);
  });
});

describe('resolveLocale', () => {
  it('takes the first usable tag, else English', () => {
    expect(resolveLocale(['C', 'POSIX', 'fr_FR.UTF-8', 'de'])).toBe('fr-FR');
    expect(resolveLocale(['C', undefined, ''])).toBe('en');
    expect(resolveLocale([])).toBe('en');
  });
});

describe('formatting when the browser says "C" (WebKitGTK under LANG=C.UTF-8)', () => {
  it('falls back to the environment\'s language from the Go side', () => {
    stubNavigator('C');
    expect(setLanguage('de-DE')).toBe('de-DE');
    expect(formatNumber(12345.5)).toBe('12.345,5');
    expect(formatDate('2026-12-06T10:30:00Z', { dateStyle: 'medium', timeZone: 'UTC' })).toBe('06.12.2026');
    expect(relativeTime('2026-12-06T10:00:00Z', Date.parse('2026-12-06T10:03:00Z'))).toBe('vor 3 Minuten');
  });

  it('falls back to English when the environment names no language either, and never throws', () => {
    stubNavigator('C', ['C']);
    expect(setLanguage('')).toBe('en');
    expect(appLocale()).toBe('en');
    expect(formatNumber(12345)).toBe('12,345');
    expect(formatNumber(1234, { notation: 'compact', maximumFractionDigits: 1 })).toBe('1.2K');
    expect(formatDate('2026-12-06T10:30:00Z', { month: 'short', day: 'numeric', timeZone: 'UTC' })).toBe('Dec 6');
    expect(relativeTime('2026-12-06T10:00:00Z', Date.parse('2026-12-06T10:00:20Z'))).toBe('now');
    expect(compareText('b', 'a')).toBeGreaterThan(0);
  });

  it('takes the browser\'s language when the environment names none', () => {
    stubNavigator('fr-FR', ['fr-FR', 'en']);
    expect(setLanguage('')).toBe('fr-FR');
  });
});

describe('formatDate', () => {
  it('shows an invalid date as the text it came from', () => {
    expect(formatDate('not a date')).toBe('not a date');
  });
});

describe('relativeTime', () => {
  it('says never for no time and keeps text that is no time', () => {
    expect(relativeTime(undefined)).toBe('never');
    expect(relativeTime('soon')).toBe('soon');
    expect(relativeTime('2026-12-01T10:00:00Z', Date.parse('2026-12-06T10:00:00Z'))).toBe('5 days ago');
  });
});
