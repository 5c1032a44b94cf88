import type { ComponentType } from 'react';
import {
  ArrowDown,
  ArrowUp,
  CircleExclamationPoint,
  Copy,
  Plus,
  Trash,
  X,
  type LucideIcon,
} from 'lucide-react';
import {
  canExpand,
  descriptionId,
  errorId,
  getSchemaType,
  getTemplate,
  getUiOptions,
  helpId,
  type ArrayFieldItemTemplateProps,
  type ArrayFieldTemplateProps,
  type DescriptionFieldProps,
  type FieldErrorProps,
  type FieldHelpProps,
  type FieldTemplateProps,
  type IconButtonProps,
  type ObjectFieldTemplateProps,
  type TemplatesType,
} from '@rjsf/utils';
import { Markdown } from './Markdown';
import { fieldInfo } from './fields/meta';

// react-jsonschema-form's own templates write Bootstrap 3 markup; these
// write the app's: labels above inputs, descriptions and errors under them,
// objects and arrays as titled groups, lucide icons on the array buttons.

function Required({ on }: { on?: boolean }) {
  return on ? (
    <span className="scaffold-required" aria-hidden="true">
      *
    </span>
  ) : null;
}

/** Widgets that are a set of inputs: labelled as a group, since a label can name only one input. */
const groupWidgets = new Set(['radio', 'checkboxes']);

function FieldTemplate(props: FieldTemplateProps) {
  const { id, label, children, errors, help, hidden, required, displayLabel, rawDescription, rawErrors, schema, uiSchema, classNames, style, fieldPathId } = props;
  if (hidden) return <div hidden>{children}</div>;
  const options = getUiOptions(uiSchema);
  const field = typeof uiSchema?.['ui:field'] === 'string' ? uiSchema['ui:field'] : undefined;
  const info = field ? fieldInfo[field] : undefined;
  const invalid = (rawErrors?.length ?? 0) > 0;
  const className = ['scaffold-field', classNames, invalid && 'scaffold-field-invalid'].filter(Boolean).join(' ');
  // Field extensions render only their inputs: their label comes from here,
  // like any field's, with Backstage's default title when the template has none.
  const labelled = displayLabel || (field !== undefined && getSchemaType(schema) !== 'object');
  if (!labelled) {
    return (
      <div className={className} style={style}>
        {children}
        {errors}
        {help}
      </div>
    );
  }
  const title = options.title || schema.title ? label : (info?.title ?? label);
  const description = rawDescription || info?.description;
  const group = info?.group || groupWidgets.has(String(options.widget));
  const labelId = `${id}__label`;
  // An array's items are numbered ("Ports-1"): under the array's own title
  // that only says what the item's place says, so only screen readers get it.
  if (typeof fieldPathId.path[fieldPathId.path.length - 1] === 'number' && !group) {
    return (
      <div className={className} style={style}>
        <label className="visually-hidden" htmlFor={id}>
          {title}
        </label>
        {children}
        {errors}
        {help}
      </div>
    );
  }
  return (
    <div className={className} style={style} role={group ? 'group' : undefined} aria-labelledby={group ? labelId : undefined}>
      {group ? (
        <span className="scaffold-label" id={labelId}>
          {title}
          <Required on={required} />
        </span>
      ) : (
        <label className="scaffold-label" htmlFor={id} id={labelId}>
          {title}
          <Required on={required} />
        </label>
      )}
      {description && <Markdown id={descriptionId(id)} className="scaffold-description" text={description} />}
      {children}
      {errors}
      {help}
    </div>
  );
}

function DescriptionFieldTemplate({ id, description }: DescriptionFieldProps) {
  if (!description) return null;
  if (typeof description === 'string') return <Markdown id={id} className="scaffold-description" text={description} />;
  return (
    <div id={id} className="scaffold-description">
      {description}
    </div>
  );
}

function FieldErrorTemplate({ errors, fieldPathId }: FieldErrorProps) {
  const shown = (errors ?? []).filter(Boolean);
  if (shown.length === 0) return null;
  return (
    <ul className="scaffold-errors" id={errorId(fieldPathId)}>
      {shown.map((e, i) => (
        <li key={i}>
          <CircleExclamationPoint size={13} aria-hidden="true" />
          {e}
        </li>
      ))}
    </ul>
  );
}

function FieldHelpTemplate({ help, fieldPathId }: FieldHelpProps) {
  if (!help) return null;
  const id = helpId(fieldPathId);
  if (typeof help === 'string') return <Markdown id={id} className="scaffold-help" text={help} />;
  return (
    <div id={id} className="scaffold-help">
      {help}
    </div>
  );
}

function ObjectFieldTemplate(props: ObjectFieldTemplateProps<unknown>) {
  const { title, description, properties, fieldPathId, required, schema, uiSchema, formData, registry, onAddProperty, disabled, readonly } = props;
  // A bare oneOf/anyOf: the union's own field renders the choice and its fields.
  if ((schema.oneOf || schema.anyOf) && !schema.properties && properties.length === 0) return null;
  const fields = <div className="scaffold-fields">{properties.map((p) => p.content)}</div>;
  const { AddButton } = registry.templates.ButtonTemplates;
  // rjsf types canExpand's answer as any; it is a boolean.
  const add = Boolean(canExpand(schema, uiSchema, formData)) && (
    <AddButton className="scaffold-add" onClick={onAddProperty} disabled={disabled || readonly} uiSchema={uiSchema} registry={registry} />
  );
  // The page is the root object: its title and description head the page instead.
  if (fieldPathId.path.length === 0) {
    return (
      <>
        {fields}
        {add}
      </>
    );
  }
  const options = getUiOptions(uiSchema);
  const heading = options.title || title;
  const text = options.description || description;
  return (
    <fieldset className="scaffold-group" id={fieldPathId.$id}>
      {heading && (
        <legend className="scaffold-legend">
          {heading}
          <Required on={required} />
        </legend>
      )}
      {text && <DescriptionFieldTemplate id={descriptionId(fieldPathId)} description={text} schema={schema} registry={registry} />}
      {fields}
      {add}
    </fieldset>
  );
}

function ArrayFieldTemplate(props: ArrayFieldTemplateProps) {
  const { title, items, canAdd, onAddClick, fieldPathId, required, schema, uiSchema, registry, disabled, readonly } = props;
  const options = getUiOptions(uiSchema);
  const heading = options.title || title;
  const text = options.description || schema.description;
  const { AddButton } = registry.templates.ButtonTemplates;
  return (
    <fieldset className="scaffold-group" id={fieldPathId.$id}>
      {heading && (
        <legend className="scaffold-legend">
          {heading}
          <Required on={required} />
        </legend>
      )}
      {text && <DescriptionFieldTemplate id={descriptionId(fieldPathId)} description={text} schema={schema} registry={registry} />}
      {items.length > 0 && <div className="scaffold-array-items">{items}</div>}
      {canAdd && <AddButton className="scaffold-add" onClick={onAddClick} disabled={disabled || readonly} uiSchema={uiSchema} registry={registry} />}
    </fieldset>
  );
}

function ArrayFieldItemTemplate(props: ArrayFieldItemTemplateProps) {
  const { children, buttonsProps, hasToolbar, registry, uiSchema } = props;
  const Buttons = getTemplate('ArrayFieldItemButtonsTemplate', registry, getUiOptions(uiSchema));
  return (
    <div className="scaffold-array-item">
      <div className="scaffold-array-item-body">{children}</div>
      {hasToolbar && (
        <div className="scaffold-array-item-tools">
          {/* eslint-disable-next-line react-hooks/static-components -- the registry's template, the same component every render */}
          <Buttons {...buttonsProps} />
        </div>
      )}
    </div>
  );
}

/** An icon button for the array toolbars; the label is its accessible name and tooltip. */
function iconButton(Icon: LucideIcon, label: string): ComponentType<IconButtonProps> {
  return function IconButton({ className, onClick, disabled, id }: IconButtonProps) {
    return (
      <button type="button" id={id} className={`icon-button ${className ?? ''}`} onClick={onClick} disabled={disabled} aria-label={label} title={label}>
        <Icon size={15} aria-hidden="true" />
      </button>
    );
  };
}

function AddButton({ className, onClick, disabled, id }: IconButtonProps) {
  return (
    <button type="button" id={id} className={`button button-small ${className ?? ''}`} onClick={onClick} disabled={disabled}>
      <Plus size={14} aria-hidden="true" /> Add
    </button>
  );
}

export const templates: Partial<Omit<TemplatesType, 'ButtonTemplates'>> & { ButtonTemplates: Partial<TemplatesType['ButtonTemplates']> } = {
  FieldTemplate,
  DescriptionFieldTemplate,
  FieldErrorTemplate,
  FieldHelpTemplate,
  ObjectFieldTemplate,
  ArrayFieldTemplate,
  ArrayFieldItemTemplate,
  ButtonTemplates: {
    AddButton,
    RemoveButton: iconButton(Trash, 'Remove'),
    MoveUpButton: iconButton(ArrowUp, 'Move up'),
    MoveDownButton: iconButton(ArrowDown, 'Move down'),
    CopyButton: iconButton(Copy, 'Copy'),
    ClearButton: iconButton(X, 'Clear'),
  },
};
