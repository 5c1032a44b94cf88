import { useEffect, useRef } from 'react';

/**
 * useSlashFocus gives a page's search box the "/" shortcut, as GitHub and
 * most developer tools do: "/" anywhere but in a field focuses it.
 */
export function useSlashFocus<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.key === '/' && !['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) && !target.isContentEditable) {
        e.preventDefault();
        ref.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return ref;
}
