import { useSyncExternalStore } from 'react';

export type ThemePreference = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_KEY = 'callboard-theme';

interface ThemeState {
  preference: ThemePreference;
  theme: Theme;
}

let state: ThemeState = { preference: 'system', theme: 'light' };
let systemDark = false;
let media: MediaQueryList | null = null;
const listeners = new Set<() => void>();

function isPreference(v: unknown): v is ThemePreference {
  return v === 'system' || v === 'light' || v === 'dark';
}

function loadPreference(): ThemePreference {
  try {
    const v = window.localStorage.getItem(THEME_KEY);
    return isPreference(v) ? v : 'system';
  } catch {
    return 'system';
  }
}

function update(preference: ThemePreference): void {
  const theme: Theme = preference === 'system' ? (systemDark ? 'dark' : 'light') : preference;
  state = { preference, theme };
  const root = document.documentElement;
  root.dataset.theme = theme;
  root.style.colorScheme = theme;
  for (const l of listeners) l();
}

function onSystemChange(e: MediaQueryListEvent): void {
  systemDark = e.matches;
  update(state.preference);
}

/** Reads the saved preference, follows the OS's colour scheme and sets data-theme on <html>. */
export function initTheme(): void {
  media?.removeEventListener('change', onSystemChange);
  media = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  systemDark = media?.matches ?? false;
  media?.addEventListener('change', onSystemChange);
  update(loadPreference());
}

export function setThemePreference(preference: ThemePreference): void {
  try {
    window.localStorage.setItem(THEME_KEY, preference);
  } catch {
    // storage unavailable: the choice lasts for this page only
  }
  update(preference);
}

/** Switches to the other of light and dark, as an explicit choice. */
export function toggleTheme(): void {
  setThemePreference(state.theme === 'dark' ? 'light' : 'dark');
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useTheme(): ThemeState {
  return useSyncExternalStore(subscribe, () => state);
}
