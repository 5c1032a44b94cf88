// A small Playwright-like layer over one WebDriver session, so the e2e steps
// read the same in every engine: locators by test id, CSS, ARIA role and
// accessible name, label, text; every action waits for its condition (no
// sleeps) and retries while React re-renders the element away.
// The queries run in the page (one WebDriver call per attempt); a locator is
// plain data, so it crosses into the page as JSON.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
const KEY = { Control: '\uE009', Enter: '\uE007', Escape: '\uE00C', Shift: '\uE008', Tab: '\uE004' };

/** A text matcher: a string (case-insensitive substring, or whole text with exact) or a RegExp. */
function matcher(m, exact = false) {
  if (m === undefined) return undefined;
  if (m instanceof RegExp) return { re: m.source, flags: m.flags };
  return { s: String(m), exact };
}

function describe(q) {
  const m = (x) => (!x ? '' : x.re !== undefined ? `/${x.re}/${x.flags}` : JSON.stringify(x.s));
  let s = q.within ? `${describe(q.within)} >> ` : '';
  if (q.role) s += `role=${q.role}${q.name ? `[name=${m(q.name)}]` : ''}`;
  else if (q.label) s += `label=${m(q.label)}`;
  else if (q.text) s += `text=${m(q.text)}`;
  else s += q.css;
  if (q.hasText) s += `:has-text(${m(q.hasText)})`;
  if (q.has) s += `:has(${describe(q.has)})`;
  if (q.nth !== undefined) s += `:nth(${q.nth})`;
  return s;
}

/**
 * Runs in the page: the elements q matches, in document order.
 * op: 'all' | 'visible'; extra: 'scroll' scrolls the first into the middle.
 */
function pageQuery(q, op, extra) {
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const test = (m, text) => {
    if (!m) return true;
    const t = norm(text);
    if (m.re !== undefined) return new RegExp(m.re, m.flags).test(t);
    return m.exact ? t === norm(m.s) : t.toLowerCase().includes(norm(m.s).toLowerCase());
  };
  const visible = (el) => {
    if (!el.isConnected || el.getClientRects().length === 0) return false;
    const cs = getComputedStyle(el);
    return cs.visibility !== 'hidden' && cs.visibility !== 'collapse';
  };
  // Text as a name: skips aria-hidden parts and form controls, uses alt and aria-label.
  const contentText = (node, skip) => {
    let s = '';
    for (const c of node.childNodes) {
      if (c.nodeType === Node.TEXT_NODE) s += c.textContent;
      else if (c.nodeType === Node.ELEMENT_NODE) {
        if (c === skip || c.getAttribute('aria-hidden') === 'true') continue;
        if (c.matches('script,style,input,select,textarea')) continue;
        if (c.getAttribute('aria-label')) s += ` ${c.getAttribute('aria-label')} `;
        else if (c.tagName === 'IMG') s += ` ${c.getAttribute('alt') || ''} `;
        else s += ` ${contentText(c, skip)} `;
      }
    }
    return s;
  };
  const labelOf = (el) => {
    const by = el.getAttribute('aria-labelledby');
    if (by) return norm(by.split(/\s+/).map((id) => document.getElementById(id)?.textContent || '').join(' '));
    const al = el.getAttribute('aria-label');
    if (al) return norm(al);
    if (el.labels && el.labels.length) return norm([...el.labels].map((l) => contentText(l, el)).join(' '));
    return '';
  };
  const nameOf = (el) => {
    const l = labelOf(el);
    if (l) return l;
    if (el.matches('input[type=button],input[type=submit],input[type=reset]')) return norm(el.value);
    if (el.matches('input,textarea,select')) return norm(el.getAttribute('title') || el.getAttribute('placeholder') || '');
    return norm(contentText(el)) || norm(el.getAttribute('title') || '');
  };
  const roles = {
    button: 'button,[role=button],input[type=button],input[type=submit],input[type=reset]',
    link: 'a[href],[role=link]',
    tab: '[role=tab]',
    checkbox: 'input[type=checkbox],[role=checkbox]',
    radio: 'input[type=radio],[role=radio]',
    textbox: 'input:not([type]),input[type=text],input[type=email],input[type=url],input[type=tel],input[type=password],textarea,[role=textbox]',
    searchbox: 'input[type=search],[role=searchbox]',
    combobox: '[role=combobox],select,input[list]',
    option: '[role=option],option',
    heading: 'h1,h2,h3,h4,h5,h6,[role=heading]',
    list: 'ul,ol,[role=list]',
    listitem: 'li,[role=listitem]',
    dialog: 'dialog,[role=dialog],[role=alertdialog]',
    complementary: 'aside,[role=complementary]',
    navigation: 'nav,[role=navigation]',
    menuitem: '[role=menuitem],[role=menuitemcheckbox],[role=menuitemradio]',
  };
  const resolve = (q, roots) => {
    const parents = q.within ? resolve(q.within, roots) : roots;
    const sel = q.role ? roles[q.role] : q.label ? '[aria-label],[aria-labelledby],input,textarea,select' : q.css || '*';
    if (!sel) throw new Error(`e2e: unknown role ${q.role}`);
    const seen = new Set();
    let found = [];
    for (const p of parents) {
      // Text is looked for in the scope element itself too, as Playwright does.
      const own = q.text && p.nodeType === Node.ELEMENT_NODE ? [p] : [];
      for (const el of [...own, ...p.querySelectorAll(sel)]) {
        if (seen.has(el)) continue;
        seen.add(el);
        found.push(el);
      }
    }
    if (q.role) {
      found = found.filter((el) => {
        const r = el.getAttribute('role');
        return !r || r === q.role || (q.role === 'menuitem' && r.startsWith('menuitem'));
      });
      if (q.name) found = found.filter((el) => test(q.name, nameOf(el)));
    }
    if (q.label) found = found.filter((el) => test(q.label, labelOf(el)));
    if (q.text) {
      found = found.filter((el) => !el.matches('script,style,head,title,html,body') && test(q.text, el.textContent));
      // The innermost elements whose text matches, as Playwright's getByText.
      found = found.filter((el) => ![...el.children].some((c) => test(q.text, c.textContent)));
    }
    if (q.hasText) found = found.filter((el) => test(q.hasText, el.textContent));
    if (q.has) found = found.filter((el) => resolve(q.has, [el]).length > 0);
    if (q.visible) found = found.filter(visible);
    if (q.nth !== undefined) found = found.length > q.nth ? [found[q.nth]] : [];
    return found;
  };
  // Locators that wait for an element mean a visible one; a count means any.
  const withVisible = (q) => ({ ...q, visible: true });
  const found = resolve(op === 'visible' ? withVisible(q) : q, [document]);
  if (extra === 'scroll' && found[0]) found[0].scrollIntoView({ block: 'center', inline: 'center' });
  if (extra === 'texts') return found.map((el) => el.innerText);
  return found;
}

/** Runs in the page: records console.error, uncaught errors and rejections (engines without BiDi). */
function installErrorHook() {
  if (window.__e2eErrors) return;
  const errors = [];
  window.__e2eErrors = errors;
  const original = console.error;
  console.error = function (...args) {
    errors.push(`console error: ${args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(' ')}`);
    return original.apply(this, args);
  };
  window.addEventListener('error', (e) => errors.push(`page error: ${e.message}`));
  const describe = (r) => (r instanceof Error ? `${r.name}: ${r.message}${r.stack ? `\n${r.stack}` : ''}` : String(r));
  window.addEventListener('unhandledrejection', (e) => errors.push(`unhandled rejection: ${describe(e.reason)}`));
}

export class Locator {
  constructor(page, q) {
    this.page = page;
    this.q = q;
  }

  get description() {
    return describe(this.q);
  }

  chain(q) {
    return new Locator(this.page, { ...q, within: this.q });
  }

  locator(css, { hasText } = {}) {
    return this.chain({ css, hasText: matcher(hasText) });
  }

  testId(id) {
    return this.chain({ css: `[data-testid="${id}"]` });
  }

  role(role, name, { exact = false } = {}) {
    return this.chain({ role, name: matcher(name, exact) });
  }

  text(text, { exact = false } = {}) {
    return this.chain({ text: matcher(text, exact) });
  }

  label(text, { exact = false } = {}) {
    return this.chain({ label: matcher(text, exact) });
  }

  placeholder(text) {
    return this.chain({ css: `[placeholder="${text.replace(/"/g, '\\"')}"]` });
  }

  filter({ hasText, has } = {}) {
    return new Locator(this.page, { ...this.q, hasText: matcher(hasText), has: has?.q });
  }

  nth(i) {
    return new Locator(this.page, { ...this.q, nth: i });
  }

  first() {
    return this.nth(0);
  }

  /**
   * The element references the locator matches now. An element React
   * removes while the driver serialises it makes the call fail: ask again.
   */
  async refs(op = 'visible', extra) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.page.browser.execute(pageQuery, this.q, op, extra);
      } catch (err) {
        if (attempt >= 5 || !/stale|not found|no such element/i.test(String(err?.message))) throw err;
      }
    }
  }

  async count() {
    return (await this.refs('all')).length;
  }

  /** Waits until an element is visible (state 'visible'), or none is ('hidden'), or none exists ('detached'). */
  async waitFor({ state = 'visible', timeout } = {}) {
    const op = state === 'detached' ? 'all' : 'visible';
    const want = state === 'visible';
    await this.page.poll(async () => (await this.refs(op)).length > 0 === want, timeout, `${this.description} to be ${state}`);
  }

  /** Runs fn with the first visible element's id, retrying until it succeeds or the timeout passes. */
  async withElement(what, fn, { timeout, scroll = false } = {}) {
    let lastError;
    const ok = await this.page.poll(
      async () => {
        const [ref] = await this.refs('visible', scroll ? 'scroll' : undefined);
        if (!ref) return false;
        try {
          lastError = undefined;
          return { value: await fn(ref[ELEMENT]) };
        } catch (err) {
          // The element went stale under a re-render, or is covered for now.
          lastError = err;
          return false;
        }
      },
      timeout,
      `${this.description} to ${what}`,
      () => lastError,
    );
    return ok.value;
  }

  click(opts) {
    return this.withElement('be clicked', (id) => this.page.browser.elementClick(id), { scroll: true, ...opts });
  }

  /**
   * Clicks the first visible element and returns its innerText, both
   * through one element reference: what was clicked is what was read.
   * (innerText() then click() find "the first" twice, and a re-render in
   * between can make those two elements.)
   */
  clickReading(opts) {
    const b = this.page.browser;
    return this.withElement(
      'be read and clicked',
      async (id) => {
        // opts.read: a selector inside the element whose text is read (a
        // link's name, without the badges beside it).
        const text = await b.execute((el, sel) => (sel ? el.querySelector(sel) : el).innerText, { [ELEMENT]: id }, opts?.read ?? null);
        await b.elementClick(id);
        return text;
      },
      { scroll: true, ...opts },
    );
  }

  /**
   * Replaces the field's value in one input event, as Playwright's fill and
   * a paste do. Keys sent in a burst race the inputs that follow the URL
   * (Search, the catalog filter): under WebKitGTK characters went missing.
   * And WebDriver's clear sets the value without telling React.
   */
  fill(value, opts) {
    const b = this.page.browser;
    return this.withElement(
      'be filled',
      async (id) => {
        const now = await b.execute(
          (el, v) => {
            el.focus();
            el.select();
            const done = v === '' ? document.execCommand('delete') : document.execCommand('insertText', false, v);
            if (!done || el.value !== v) {
              // No editing commands here: set the value as React's own tests do.
              const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
              Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, v);
              el.dispatchEvent(new Event('input', { bubbles: true }));
            }
            return el.value;
          },
          { [ELEMENT]: id },
          value,
        );
        if (now !== value) throw new Error(`the field holds ${JSON.stringify(now)}`);
      },
      opts,
    );
  }

  /**
   * Chooses the option of a <select> whose value is value, as a user's
   * pick does: a closed list's options are not visible, so WebDriver
   * cannot click them. React hears the change event.
   */
  selectOption(value, opts) {
    const b = this.page.browser;
    return this.withElement(
      'have an option chosen',
      async (id) => {
        const now = await b.execute(
          (el, v) => {
            Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set.call(el, v);
            el.dispatchEvent(new Event('change', { bubbles: true }));
            return el.value;
          },
          { [ELEMENT]: id },
          value,
        );
        if (now !== value) throw new Error(`the list holds ${JSON.stringify(now)}`);
      },
      opts,
    );
  }

  async check(opts) {
    if (!(await this.isChecked(opts))) await this.click(opts);
    await this.page.poll(() => this.isChecked(opts), opts?.timeout, `${this.description} to be checked`);
  }

  isChecked(opts) {
    return this.evaluate((el) => el.checked === true || el.getAttribute('aria-checked') === 'true', opts);
  }

  /** Evaluates fn(element, arg) in the page on the first visible element. */
  evaluate(fn, arg, opts) {
    const b = this.page.browser;
    return this.withElement('be evaluated', (id) => b.execute(fn, { [ELEMENT]: id }, arg), opts);
  }

  innerText(opts) {
    return this.evaluate((el) => el.innerText, undefined, opts);
  }

  inputValue(opts) {
    return this.evaluate((el) => el.value, undefined, opts);
  }

  getAttribute(name, opts) {
    return this.evaluate((el, n) => el.getAttribute(n), name, opts);
  }

  scrollIntoView(opts) {
    return this.evaluate((el) => el.scrollIntoView({ block: 'center' }), undefined, opts);
  }

  /** innerText of every element matched, visible or not. */
  allInnerTexts() {
    return this.refs('all', 'texts');
  }
}

export class Page {
  /**
   * browser: a webdriverio session; out: the screenshot folder;
   * timeout: how long a wait lasts by default (ms);
   * bidi: the session speaks WebDriver BiDi (else console errors are
   * recorded by a hook in the page, and dialogs found by polling).
   */
  constructor(browser, { out, timeout, bidi }) {
    this.browser = browser;
    this.bidi = bidi;
    const hookErrors = !bidi;
    this.out = out;
    this.timeout = timeout;
    this.hookErrors = hookErrors;
    this.root = new Locator(this, undefined);
  }

  locator(css, opts) {
    return this.root.locator(css, opts);
  }

  testId(id) {
    return this.root.testId(id);
  }

  role(role, name, opts) {
    return this.root.role(role, name, opts);
  }

  text(text, opts) {
    return this.root.text(text, opts);
  }

  label(text, opts) {
    return this.root.label(text, opts);
  }

  placeholder(text) {
    return this.root.placeholder(text);
  }

  /**
   * Calls check every 100 ms until it returns something truthy, which it
   * returns; throws after timeout ms naming what it waited for.
   */
  async poll(check, timeout = this.timeout, what = 'a condition', lastError = () => undefined) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const got = await check();
      if (got) return got;
      if (Date.now() > deadline) {
        const why = lastError();
        throw new Error(`timed out after ${timeout} ms waiting for ${what}${why ? ` (last: ${String(why.message ?? why).split('\n')[0]})` : ''}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Waits until fn(arg), run in the page, is truthy. */
  waitForFunction(fn, arg, { timeout } = {}) {
    return this.poll(() => this.browser.execute(fn, arg), timeout, `${fn.toString().replace(/\s+/g, ' ').slice(0, 120)}`);
  }

  evaluate(fn, ...args) {
    return this.browser.execute(fn, ...args);
  }

  async goto(url) {
    await this.browser.url(url);
    if (this.hookErrors) await this.browser.execute(installErrorHook);
  }

  async back() {
    await this.browser.back();
  }

  url() {
    return this.browser.getUrl();
  }

  /** Presses keys together, e.g. press('Control', 'k'), or one: press('Enter'). */
  async press(...keys) {
    const values = keys.map((k) => KEY[k] ?? k);
    await this.browser.performActions([
      {
        type: 'key',
        id: 'keyboard',
        actions: [...values.map((value) => ({ type: 'keyDown', value })), ...values.reverse().map((value) => ({ type: 'keyUp', value }))],
      },
    ]);
    await this.browser.releaseActions();
  }

  /** Runs action, which opens an alert or confirm, and accepts that. */
  async acceptDialog(action, timeout = this.timeout) {
    if (this.bidi) {
      // WebdriverIO dismisses every BiDi prompt unless a listener takes it.
      let onDialog;
      const accepted = new Promise((resolve, reject) => {
        onDialog = (dialog) => dialog.accept().then(resolve, reject);
        this.browser.on('dialog', onDialog);
      });
      try {
        await action();
        let timer;
        await Promise.race([
          accepted,
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${timeout} ms waiting for a dialog to open`)), timeout);
          }),
        ]).finally(() => clearTimeout(timer));
      } finally {
        this.browser.off('dialog', onDialog);
      }
      return;
    }
    await action();
    await this.poll(
      () =>
        this.browser.getAlertText().then(
          () => true,
          () => false,
        ),
      timeout,
      'a dialog to open',
    );
    await this.browser.acceptAlert();
  }

  async screenshot(file) {
    const png = await this.browser.takeScreenshot();
    await writeFile(path.join(this.out, file), Buffer.from(png, 'base64'));
  }

  /** The errors the page hook recorded since the last call (engines without BiDi). */
  async takeHookedErrors() {
    if (!this.hookErrors) return [];
    try {
      return (await this.browser.execute(() => (window.__e2eErrors ? window.__e2eErrors.splice(0) : []))) ?? [];
    } catch {
      return [];
    }
  }
}
