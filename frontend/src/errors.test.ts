import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FrontendError } from './api/types.gen';
import { installErrorReporting, reportError, rootErrorOptions } from './errors';

let uninstall: (() => void) | undefined;
afterEach(() => {
  uninstall?.();
  uninstall = undefined;
  window.location.hash = '';
});

function collect() {
  const sent: FrontendError[] = [];
  uninstall = installErrorReporting(async (e) => {
    sent.push(e);
  });
  return sent;
}

describe('error reporting', () => {
  it('sends errors nothing caught, unhandled rejections and console errors, with the route', () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const sent = collect();
    window.location.hash = '#/catalog/component/default/a?token=secret';
    window.dispatchEvent(new ErrorEvent('error', { error: new RangeError('invalid language tag: C'), message: 'x' }));
    const rejection = new Event('unhandledrejection') as PromiseRejectionEvent;
    Object.defineProperty(rejection, 'reason', { value: new Error('no answer') });
    window.dispatchEvent(rejection);
    console.error('Warning:', 'something', { a: 1 });
    expect(printed).toHaveBeenCalledWith('Warning:', 'something', { a: 1 });
    expect(sent.map((e) => [e.kind, e.message])).toEqual([
      ['error', 'RangeError: invalid language tag: C'],
      ['unhandledrejection', 'Error: no answer'],
      ['console', 'Warning: something {"a":1}'],
    ]);
    expect(sent[0]!.route).toBe('/catalog/component/default/a?token=…');
    expect(sent[0]!.stack).toContain('RangeError');
    uninstall?.();
    uninstall = undefined;
    printed.mockRestore();
  });

  it("names what threw inside React's recovered-render error", () => {
    const sent = collect();
    const thrown = new TypeError("Cannot read properties of undefined (reading 'items')");
    rootErrorOptions.onRecoverableError(new Error('Minified React error #520', { cause: thrown }), { componentStack: '\n    at TemplateList' });
    expect(sent.map((e) => [e.kind, e.where, e.message])).toEqual([
      ['error', 'root (recovered)', "Error: Minified React error #520 (cause: TypeError: Cannot read properties of undefined (reading 'items'))"],
    ]);
    expect(sent[0]!.stack).toContain('caused by: TypeError');
    expect(sent[0]!.stack).toContain('at TemplateList');
  });

  it('sends the same error a few times only, and at most 100 a page', () => {
    const sent = collect();
    for (let i = 0; i < 10; i++) reportError('boundary', new Error('same'), 'card About');
    expect(sent).toHaveLength(3);
    for (let i = 0; i < 200; i++) reportError('boundary', new Error(`error ${i}`));
    expect(sent).toHaveLength(100);
  });

  it('drops a report it cannot send, without a loop', async () => {
    let calls = 0;
    uninstall = installErrorReporting(async () => {
      calls++;
      throw new Error('the server is gone');
    });
    reportError('error', new Error('first'));
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toBe(1);
  });
});
