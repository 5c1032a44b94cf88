import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { THEME_KEY, initTheme, setThemePreference, toggleTheme } from './theme';
import { Sidebar } from './components/Sidebar';
import { ClientProvider } from './api/context';
import { PortalClient } from './api/client';
import { transportOf } from './test/transport';

const theme = () => document.documentElement.dataset.theme;

/** A stand-in for the OS colour scheme, which jsdom does not have. */
function osScheme(dark: boolean) {
  const listeners = new Set<(e: MediaQueryListEvent) => void>();
  const mql = {
    matches: dark,
    addEventListener: (_: string, l: (e: MediaQueryListEvent) => void) => listeners.add(l),
    removeEventListener: (_: string, l: (e: MediaQueryListEvent) => void) => listeners.delete(l),
  };
  vi.stubGlobal('matchMedia', () => mql);
  return (nowDark: boolean) => {
    mql.matches = nowDark;
    for (const l of listeners) l({ matches: nowDark } as MediaQueryListEvent);
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('theme', () => {
  it('follows the OS by default', () => {
    const change = osScheme(true);
    initTheme();
    expect(theme()).toBe('dark');
    change(false);
    expect(theme()).toBe('light');
  });

  it('applies and keeps an explicit choice', () => {
    const change = osScheme(false);
    initTheme();
    setThemePreference('dark');
    expect(window.localStorage.getItem(THEME_KEY)).toBe('dark');
    expect(theme()).toBe('dark');
    change(false);
    expect(theme()).toBe('dark');
  });

  it('restores the saved choice on start', () => {
    osScheme(false);
    window.localStorage.setItem(THEME_KEY, 'dark');
    initTheme();
    expect(theme()).toBe('dark');
    window.localStorage.setItem(THEME_KEY, 'nonsense');
    initTheme();
    expect(theme()).toBe('light');
  });

  it('toggles between light and dark and saves it', () => {
    osScheme(true);
    initTheme();
    toggleTheme();
    expect(theme()).toBe('light');
    expect(window.localStorage.getItem(THEME_KEY)).toBe('light');
    toggleTheme();
    expect(theme()).toBe('dark');
  });

  it('has a toggle button in the sidebar', async () => {
    osScheme(false);
    initTheme();
    render(
      <ClientProvider client={new PortalClient(transportOf({}))}>
        <MemoryRouter>
          <Sidebar />
        </MemoryRouter>
      </ClientProvider>,
    );
    const button = screen.getByTestId('theme-toggle');
    expect(button.getAttribute('aria-label')).toBe('Switch to dark theme');
    await userEvent.click(button);
    expect(theme()).toBe('dark');
    expect(window.localStorage.getItem(THEME_KEY)).toBe('dark');
    expect(button.getAttribute('aria-label')).toBe('Switch to light theme');
    act(() => setThemePreference('system'));
    expect(theme()).toBe('light');
  });
});
