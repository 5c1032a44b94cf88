import { parseEntityRef } from '../refs';
import type { FieldValidator } from '../validation';
import { repoUrlErrors } from './repoUrl';

/** catalog-model's KubernetesValidatorFunctions.isValidObjectName. */
export const isValidObjectName = (v: unknown) =>
  typeof v === 'string' && v.length >= 1 && v.length <= 63 && /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(v);

/** The field extensions' own checks, with Backstage's messages, by ui:field name. */
export const fieldValidators: Record<string, FieldValidator> = {
  EntityNamePicker(value, report) {
    if (!isValidObjectName(value)) {
      report(
        'Must start and end with an alphanumeric character, and contain only alphanumeric characters, hyphens, underscores, and periods. Maximum length is 63 characters.',
      );
    }
  },
  RepoUrlPicker(value, report) {
    if (typeof value === 'string') repoUrlErrors(value).forEach(report);
  },
  MultiEntityPicker(value, report) {
    if (!Array.isArray(value)) return;
    for (const v of value) if (typeof v !== 'string' || !parseEntityRef(v)) report(`${String(v)} is not a valid entity ref`);
  },
};
