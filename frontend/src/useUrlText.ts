import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * A text field whose value lives in the URL, typed into without waiting for
 * navigation. URL updates lag behind fast typing (WebKitGTK most of all), so
 * every value written and not yet seen back is remembered: an older one
 * arriving from the URL is not a change and must not overwrite what the
 * user typed since. Any other value (Back, a link) replaces the field.
 * Returns the field's value and typed(value, written), to call with what
 * the field shows and what goes into the URL.
 */
export function useUrlText(fromUrl: string): [string, (value: string, written?: string) => void] {
  const [text, setText] = useState(fromUrl);
  const pending = useRef<string[]>([]);
  useEffect(() => {
    const mine = pending.current.indexOf(fromUrl);
    if (mine >= 0) {
      pending.current = pending.current.slice(mine + 1);
      return;
    }
    pending.current = [];
    setText(fromUrl);
  }, [fromUrl]);
  const typed = useCallback((value: string, written: string = value) => {
    setText(value);
    pending.current.push(written);
  }, []);
  return [text, typed];
}
