import type { RegistryFieldsType } from '@rjsf/utils';
import { EntityPicker, MyGroupsPicker, OwnedEntityPicker, OwnerPicker } from './EntityPicker';
import { EntityTagsPicker } from './EntityTagsPicker';
import { MultiEntityPicker } from './MultiEntityPicker';
import { RepoOwnerPicker, RepoUrlPicker } from './RepoUrlPicker';
import { EntityNamePicker, RepoBranchPicker, Secret } from './TextFields';

export { fieldValidators } from './validators';

/** Backstage's field extensions, under the names templates give as ui:field. */
export const fields: RegistryFieldsType = {
  EntityNamePicker,
  EntityPicker,
  EntityTagsPicker,
  MultiEntityPicker,
  MyGroupsPicker,
  OwnedEntityPicker,
  OwnerPicker,
  RepoBranchPicker,
  RepoOwnerPicker,
  RepoUrlPicker,
  Secret,
};
