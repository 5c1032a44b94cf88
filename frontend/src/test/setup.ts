import { afterEach } from 'vitest';
import { cleanup, configure } from '@testing-library/react';

// jsdom lays nothing out: give elements a screen's size, so virtualised
// lists render the rows a window would show.
Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 800 });
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 800 });
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1200 });
Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 1200 });

// findBy and waitFor wait for what a page shows after loading (lazily
// loaded views such as the OpenAPI one); their 1 s default failed under a
// load of 30 on a 2-core machine. A bound for a page that never shows it,
// not a speed target.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
  window.localStorage.clear();
  window.sessionStorage.clear();
});
