import type { CustomValidator, ErrorSchema, FormValidation, RJSFValidationError, UiSchema } from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';
import ajvErrors from 'ajv-errors';
import type { FormPage, JsonObject } from './schema';

/**
 * The one validator every form shares: ajv compiles each schema once and
 * keeps it. ajv-errors lets templates give their own messages with
 * `errorMessage`, as Backstage's form does.
 */
export const validator = customizeValidator<JsonObject>();
ajvErrors(validator.ajv);

/** Checks one field extension's value; report adds an error shown under the field. */
export type FieldValidator = (value: unknown, report: (message: string) => void) => void;

type Params = Record<string, unknown>;

// ajv's messages read like a validator's ("must NOT have fewer than 3
// characters"); these read like a form's, under the field they are about.
const messages: Record<string, (p: Params) => string> = {
  required: () => 'Required',
  minLength: (p) => (p.limit === 1 ? 'Required' : `Use at least ${String(p.limit)} characters`),
  maxLength: (p) => `Use at most ${String(p.limit)} characters`,
  pattern: (p) => `Must match the pattern ${String(p.pattern)}`,
  format: (p) => `Must be a valid ${String(p.format)}`,
  enum: () => 'Choose one of the listed values',
  const: () => 'Must be the given value',
  minItems: (p) => (p.limit === 1 ? 'Choose at least one' : `Choose at least ${String(p.limit)}`),
  maxItems: (p) => `Choose at most ${String(p.limit)}`,
  uniqueItems: () => 'Must not contain the same value twice',
  minimum: (p) => `Must be at least ${String(p.limit)}`,
  maximum: (p) => `Must be at most ${String(p.limit)}`,
  exclusiveMinimum: (p) => `Must be more than ${String(p.limit)}`,
  exclusiveMaximum: (p) => `Must be less than ${String(p.limit)}`,
  multipleOf: (p) => `Must be a multiple of ${String(p.multipleOf)}`,
  type: (p) => `Must be ${p.type === 'integer' ? 'a whole number' : `a ${String(p.type)}`}`,
};

/** Rewrites ajv's messages; a template's own (ajv-errors' errorMessage) stay as written. */
export function transformErrors(errors: RJSFValidationError[]): RJSFValidationError[] {
  return errors.map((e) => {
    const write = e.name ? messages[e.name] : undefined;
    if (write) return { ...e, message: write((e.params ?? {}) as Params) };
    const m = e.message ?? '';
    return { ...e, message: m.charAt(0).toUpperCase() + m.slice(1) };
  });
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const empty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * The field extensions' own checks for a page (an entity name's shape, a
 * repository location's parts), run on every field of the page whose
 * ui:field has one — nested in objects and in array items too. Empty
 * values are left to `required`.
 */
export function customValidate(page: FormPage, validators: Record<string, FieldValidator>): CustomValidator<JsonObject> {
  const check = (value: unknown, ui: UiSchema | undefined, errors: FormValidation | undefined) => {
    if (!ui || !errors || empty(value)) return;
    const field = ui['ui:field'];
    const validate = typeof field === 'string' ? validators[field] : undefined;
    if (validate) {
      validate(value, (m) => errors.addError(m));
      return;
    }
    if (Array.isArray(value) && isObject(ui.items)) {
      value.forEach((item, i) => check(item, ui.items as UiSchema, (errors as unknown as FormValidation[])[i]));
      return;
    }
    if (isObject(value)) walk(value, ui, errors);
  };
  const walk = (data: JsonObject, ui: UiSchema, errors: FormValidation) => {
    for (const [key, sub] of Object.entries(ui)) {
      if (key.startsWith('ui:') || !isObject(sub)) continue;
      check(data[key], sub as UiSchema, (errors as unknown as Record<string, FormValidation>)[key]);
    }
  };
  return (formData, errors) => {
    if (formData) walk(formData, page.uiSchema, errors);
    return errors;
  };
}

export interface PageCheck {
  valid: boolean;
  errorSchema: ErrorSchema<JsonObject>;
}

/** Validates values against one page, as pressing Next on it would. */
export function validatePage(page: FormPage, values: JsonObject, validators: Record<string, FieldValidator>): PageCheck {
  const { errors, errorSchema } = validator.validateFormData(
    values,
    page.schema,
    customValidate(page, validators),
    transformErrors,
    page.uiSchema,
  );
  return { valid: errors.length === 0, errorSchema };
}
