import { describe, expect, it } from 'vitest';
import { act, renderHook } from '@testing-library/react';
import { useUrlText } from './useUrlText';

describe('useUrlText', () => {
  it('keeps what was typed while the URL catches up one value at a time', () => {
    const { result, rerender } = renderHook(({ url }) => useUrlText(url), { initialProps: { url: '' } });
    for (const v of ['b', 'bo', 'boo', 'book']) act(() => result.current[1](v));
    // The URL lags: its older values come back after the field moved on.
    for (const url of ['b', 'bo', 'boo']) {
      rerender({ url });
      expect(result.current[0]).toBe('book');
    }
    rerender({ url: 'book' });
    expect(result.current[0]).toBe('book');
  });

  it('follows a change made elsewhere (Back, a link)', () => {
    const { result, rerender } = renderHook(({ url }) => useUrlText(url), { initialProps: { url: 'pay' } });
    act(() => result.current[1]('pays'));
    rerender({ url: 'pays' });
    rerender({ url: 'pay' }); // Back
    expect(result.current[0]).toBe('pay');
    rerender({ url: 'ledger' }); // a link
    expect(result.current[0]).toBe('ledger');
  });

  it('compares what went into the URL, not what the field shows', () => {
    const { result, rerender } = renderHook(({ url }) => useUrlText(url), { initialProps: { url: '' } });
    act(() => result.current[1]('pay ', 'pay'));
    rerender({ url: 'pay' });
    expect(result.current[0]).toBe('pay ');
  });
});
