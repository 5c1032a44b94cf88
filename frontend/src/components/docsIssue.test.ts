import { describe, expect, it } from 'vitest';
import { forgeOf, issueBody, issueTitle, issueURL, markdownURL, selectionLine } from './docsIssue';

describe('report issue', () => {
  it('knows the forge by its host, as the addon does', () => {
    expect(forgeOf('https://github.com/acme/payments')).toBe('github');
    expect(forgeOf('https://gitlab.example.com/acme/payments')).toBe('gitlab');
    expect(forgeOf('https://git.example.com/acme/payments')).toBeNull();
    expect(forgeOf('not a url')).toBeNull();
  });

  it('titles the issue with the first 70 characters', () => {
    expect(issueTitle('Short')).toBe('Documentation feedback: Short');
    expect(issueTitle('x'.repeat(80))).toBe(`Documentation feedback: ${'x'.repeat(70)}...`);
  });

  it('writes the body as the addon does', () => {
    expect(issueBody(' one\n  two ', 'https://github.com/a/b/blob/main/docs/index.md', 'callboard://docs/x')).toBe(
      '## Documentation Feedback 📝\n\n #### The highlighted text: \n\n > one\n> two\n\n #### The comment on the text: \n _>replace this line with your comment<_\n\n ___\nCallboard URL: <callboard://docs/x> \nMarkdown URL: <https://github.com/a/b/blob/main/docs/index.md>',
    );
  });

  it('builds GitHub and GitLab new-issue links', () => {
    const gh = issueURL('https://github.com/acme/payments.git', 'Refunds', 'docs/index.md', 'p');
    expect(gh).toMatch(/^https:\/\/github\.com\/acme\/payments\/issues\/new\?title=Documentation%20feedback%3A%20Refunds&body=/);
    expect(decodeURIComponent(gh!.split('&body=')[1] ?? '')).toContain('Markdown URL: <https://github.com/acme/payments/blob/HEAD/docs/index.md>');
    const gl = issueURL('https://gitlab.com/acme/team/payments/-/tree/main', 'Refunds', 'docs/index.md', 'p');
    expect(gl).toMatch(/^https:\/\/gitlab\.com\/acme\/team\/payments\/issues\/new\?issue\[title\]=Documentation%20feedback%3A%20Refunds&issue\[description\]=/);
    expect(issueURL('https://git.example.com/a/b', 'x', 'f', 'p')).toBeNull();
  });

  it('links the Markdown through the edit link when there is one', () => {
    expect(markdownURL('github', 'https://github.com/a/b', 'docs/x.md', 'https://github.com/a/b/edit/main/docs/x.md')).toBe('https://github.com/a/b/blob/main/docs/x.md');
    expect(markdownURL('gitlab', 'https://gitlab.com/a/b', 'docs/x.md', 'https://gitlab.com/a/b/-/edit/main/docs/x.md')).toBe('https://gitlab.com/a/b/-/blob/main/docs/x.md');
  });
});

describe('selectionLine', () => {
  it('counts from the block line and the line breaks before the selection', () => {
    const root = document.createElement('div');
    root.innerHTML = '<h1 data-source-line="1">Title</h1><p data-source-line="3">First line\nsecond line</p><div class="highlight"><pre><code>code</code></pre></div>';
    document.body.append(root);
    const text = root.querySelector('p')!.firstChild!;
    const range = document.createRange();
    range.setStart(text, 12);
    range.setEnd(text, 18);
    expect(selectionLine(range, root)).toBe(4);
    range.setStart(text, 0);
    expect(selectionLine(range, root)).toBe(3);
    const code = root.querySelector('code')!.firstChild!;
    range.setStart(code, 0);
    range.setEnd(code, 2);
    expect(selectionLine(range, root)).toBe(3);
    root.remove();
  });
});
