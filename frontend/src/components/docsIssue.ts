/**
 * "Report issue" for a docs page, as Backstage's ReportIssue addon
 * (@backstage/plugin-techdocs-module-addons-contrib) builds it: the forge is
 * told by its host name, the title is the selection's first 70 characters,
 * the body quotes the selection and links the page and its Markdown file.
 */
export type Forge = 'github' | 'gitlab';

/** The forge a repository's URL is on, or null for one Callboard cannot file issues on. */
export function forgeOf(repoUrl: string): Forge | null {
  try {
    const host = new URL(repoUrl).hostname.toLowerCase();
    if (host.includes('github')) return 'github';
    if (host.includes('gitlab')) return 'gitlab';
  } catch {
    // not a URL
  }
  return null;
}

/** The issue's title: "Documentation feedback: " and the selection's first 70 characters. */
export function issueTitle(selection: string): string {
  const text = selection.substring(0, 70);
  return `Documentation feedback: ${text}${text.length === 70 ? '...' : ''}`;
}

/** The issue's body, the addon's template word for word. */
export function issueBody(selection: string, markdownUrl: string, pageUrl: string, appTitle = 'Callboard'): string {
  const quote = selection
    .trim()
    .split('\n')
    .map((line) => `> ${line.trim()}`)
    .join('\n');
  const facts = `${appTitle} URL: <${pageUrl}> \nMarkdown URL: <${markdownUrl}>`;
  return `## Documentation Feedback 📝\n\n #### The highlighted text: \n\n ${quote}\n\n #### The comment on the text: \n _>replace this line with your comment<_\n\n ___\n${facts}`;
}

/** The repository's own URL: https://host/owner/name, without .git, a trailing slash or a /tree/… tail. */
function repoBase(repoUrl: string): string | null {
  try {
    const u = new URL(repoUrl);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    const parts = u.pathname
      .replace(/\.git$/, '')
      .split('/')
      .filter(Boolean);
    const cut = parts.findIndex((p) => p === '-' || p === 'tree' || p === 'blob' || p === 'edit');
    const path = (cut >= 0 ? parts.slice(0, cut) : parts).join('/');
    if (!path.includes('/')) return null;
    return `${u.protocol}//${u.host}/${path}`;
  } catch {
    return null;
  }
}

/** Where the page's Markdown is on the forge: the edit link as a blob link, else the file on the default branch. */
export function markdownURL(forge: Forge, repoUrl: string, file: string, editUrl?: string): string {
  if (editUrl) return editUrl.replace(forge === 'gitlab' ? '/-/edit/' : '/edit/', forge === 'gitlab' ? '/-/blob/' : '/blob/');
  const base = repoBase(repoUrl) ?? repoUrl;
  return `${base}${forge === 'gitlab' ? '/-/blob/HEAD/' : '/blob/HEAD/'}${file.split('/').map(encodeURIComponent).join('/')}`;
}

/** The forge's new-issue page, prefilled: GitHub's ?title=&body=, GitLab's ?issue[title]=&issue[description]=. */
export function issueURL(repoUrl: string, selection: string, file: string, pageUrl: string, editUrl?: string): string | null {
  const forge = forgeOf(repoUrl);
  const base = repoBase(repoUrl);
  if (!forge || !base) return null;
  const title = encodeURIComponent(issueTitle(selection));
  const body = encodeURIComponent(issueBody(selection, markdownURL(forge, repoUrl, file, editUrl), pageUrl));
  if (forge === 'github') return `${base}/issues/new?title=${title}&body=${body}`;
  return `${base}/issues/new?issue[title]=${title}&issue[description]=${body}`;
}

/**
 * The line of the page's file a selection starts on: the closest block's
 * data-source-line, plus the line breaks of its text before the selection
 * (a paragraph keeps its source's line breaks).
 */
export function selectionLine(range: Range, root: HTMLElement): number | null {
  let node: Node | null = range.startContainer;
  let el: HTMLElement | null = node instanceof HTMLElement ? node : node.parentElement;
  while (el && el !== root && !el.hasAttribute('data-source-line')) el = el.parentElement;
  if (!el || el === root) {
    // A block without a line of its own (highlighted code): the nearest one before it.
    const marked = [...root.querySelectorAll<HTMLElement>('[data-source-line]')];
    el = marked.filter((m) => m.compareDocumentPosition(range.startContainer) & Node.DOCUMENT_POSITION_FOLLOWING).pop() ?? null;
    if (!el) return null;
    return Number(el.getAttribute('data-source-line'));
  }
  const base = Number(el.getAttribute('data-source-line'));
  const before = document.createRange();
  before.setStart(el, 0);
  node = range.startContainer;
  before.setEnd(node, range.startOffset);
  const breaks = (before.toString().match(/\n/g) ?? []).length;
  return base + breaks;
}
