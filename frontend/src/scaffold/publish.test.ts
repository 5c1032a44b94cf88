import { describe, expect, it } from 'vitest';
import { publishTargets } from './publish';

describe('publishTargets', () => {
  const step = (repoUrl: string, action = 'publish:github') => ({ id: 'publish', name: 'Publish', action, repoUrl });
  it.each([
    ['the form value', step('${{ parameters.repoUrl }}'), { repoUrl: 'GitHub.com?owner=o&repo=r' }, { host: 'github.com', repo: 'o/r', trusted: true }],
    ['an untrusted host', step('${{parameters.repoUrl}}'), { repoUrl: 'evil.example?owner=a&repo=b' }, { host: 'evil.example', repo: 'a/b', trusted: false }],
    ['a port', step('${{ parameters.repoUrl }}'), { repoUrl: 'git.example:8443?owner=o&repo=r' }, { host: 'git.example:8443', trusted: true }],
    ['a literal', step('github.com?owner=o&repo=r'), {}, { host: 'github.com', trusted: true }],
    ['the local folder', step('${{ parameters.repoUrl }}'), { repoUrl: 'local?repo=r' }, { host: 'local', local: true }],
    ['an expression', step('${{ parameters.host }}?owner=${{ parameters.owner }}&repo=r'), {}, { expression: '${{ parameters.host }}?owner=${{ parameters.owner }}&repo=r' }],
    ['nothing entered yet', step('${{ parameters.repoUrl }}'), {}, { expression: '${{ parameters.repoUrl }}' }],
  ])('%s', (_, s, values, want) => {
    expect(publishTargets([s], values, ['github.com', 'git.example:8443'])[0]).toMatchObject(want);
  });

  it('leaves out steps that do not push', () => {
    expect(publishTargets([{ id: 'fetch', name: 'Fetch', action: 'fetch:template' }], {}, [])).toEqual([]);
  });
});
