import type { TemplateStep } from '../api/types.gen';
import { LOCAL_HOST, parseRepoUrl } from './fields/repoUrl';
import type { JsonObject } from './schema';

/** Where one publish step of a template will push, as far as the form's values tell. */
export interface PublishTarget {
  step: string;
  action: string;
  /** The repoUrl as written, when the values alone do not decide it. */
  expression?: string;
  host?: string;
  /** owner/repo (or organization/project/repo) as the repoUrl names it. */
  repo?: string;
  local?: boolean;
  /** The host has a location or is trusted in Settings: the portal lets the push through. */
  trusted?: boolean;
}

// `${{ parameters.repoUrl }}`, the way nearly every template passes RepoUrlPicker's value.
const parameterRef = /^\$\{\{\s*parameters\.([A-Za-z_$][\w$]*)\s*\}\}$/;

/** The pushing publish steps' targets, from their repoUrl and the form's values; the portal checks the same hosts again when it runs. */
export function publishTargets(steps: TemplateStep[], values: JsonObject, trustedHosts: string[]): PublishTarget[] {
  return steps
    .filter((s) => s.repoUrl)
    .map((s) => {
      const written = s.repoUrl ?? '';
      const name = parameterRef.exec(written.trim())?.[1];
      const value = name !== undefined ? values[name] : written.includes('${{') ? undefined : written;
      const base = { step: s.name || s.id, action: s.action };
      if (typeof value !== 'string' || !value.includes('?')) return { ...base, expression: written };
      const url = parseRepoUrl(value);
      if (!url.host) return { ...base, expression: written };
      const host = url.host.toLowerCase();
      const repo = [url.organization || url.workspace || url.owner, url.project, url.repoName].filter(Boolean).join('/');
      if (host === LOCAL_HOST) return { ...base, host, repo, local: true };
      return { ...base, host, repo, trusted: trustedHosts.includes(host) };
    });
}
