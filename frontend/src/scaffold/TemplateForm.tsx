import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import Form from '@rjsf/core';
import { Check, ChevronLeft, ChevronRight, FlaskConical, LoaderCircle, Rocket } from 'lucide-react';
import type { ScaffoldContext } from './context';
import { fields, fieldValidators } from './fields';
import { Markdown } from './Markdown';
import { Review } from './Review';
import { defaultsBehavior, formDefaults, templatePages, withoutSecrets, type JsonObject } from './schema';
import type { CatalogSource } from './source';
import { templates } from './theme';
import { customValidate, transformErrors, validatePage, validator } from './validation';
import '../styles/scaffold.css';

/** What a filled-in form gives the template: its parameters, and the secrets kept apart from them. */
export interface TemplateSubmission {
  values: JsonObject;
  secrets: Record<string, string>;
}

export interface TemplateFormProps {
  /** The template's spec.parameters: one schema or a list of them, one per page. */
  parameters: unknown;
  /** The catalog the pickers list entities, groups and tags from. */
  source: CatalogSource;
  /** Values to start from, e.g. from a link; the pages' defaults fill in the rest. */
  initialValues?: JsonObject;
  onSubmit(submission: TemplateSubmission): void | Promise<void>;
  /** Offers a dry run next to the submit button on the review page. */
  onDryRun?(submission: TemplateSubmission): void | Promise<void>;
  /** The submit button's label; "Create" by default (a template's createButtonText). */
  submitLabel?: string;
  /** The back and review buttons' labels (a template's backButtonText, reviewButtonText). */
  backLabel?: string;
  reviewLabel?: string;
  /** The template is running: the buttons wait. */
  busy?: boolean;
  /** More for the review page, from the values entered (where the project will be pushed). */
  review?(values: JsonObject): ReactNode;
  /** Hears the values as they are typed (the workbench dry-runs them). */
  onValuesChange?(submission: TemplateSubmission): void;
}

function Steps({ titles, step, onGo }: { titles: string[]; step: number; onGo(step: number): void }) {
  return (
    <nav aria-label="Steps">
      <ol className="scaffold-steps">
        {titles.map((title, i) => {
          const state = i < step ? 'done' : i === step ? 'current' : 'todo';
          const inner = (
            <>
              <span className="scaffold-step-marker" aria-hidden="true">
                {i < step ? <Check size={12} strokeWidth={3} /> : i + 1}
              </span>
              <span className="scaffold-step-title">{title}</span>
            </>
          );
          return (
            <li key={i} className={`scaffold-step scaffold-step-${state}`} aria-current={i === step ? 'step' : undefined}>
              {i < step ? (
                <button type="button" className="scaffold-step-inner" aria-label={`${title} (done)`} onClick={() => onGo(i)}>
                  {inner}
                </button>
              ) : (
                <span className="scaffold-step-inner">{inner}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

/**
 * A software template's form, as Backstage's scaffolder shows it: a page
 * per entry of spec.parameters, each checked before the next, then a review
 * of everything entered. Secret fields' values reach onSubmit in secrets
 * only.
 */
export function TemplateForm({ parameters, source, initialValues, onSubmit, onDryRun, submitLabel, backLabel, reviewLabel, busy = false, review, onValuesChange }: TemplateFormProps) {
  submitLabel ||= 'Create';
  backLabel ||= 'Back';
  reviewLabel ||= 'Review';
  const pages = useMemo(() => templatePages(parameters), [parameters]);
  const [values, setValues] = useState<JsonObject>(() => formDefaults(pages, initialValues));
  const [step, setStep] = useState(0);
  // Once the review was reached, Next on an edited page goes back to it.
  const [reviewed, setReviewed] = useState(pages.length === 0);
  // How many fields failed this page's last check; after one failed Next the page checks as the user types.
  const [failed, setFailed] = useState<number | null>(null);
  // The page was opened to show what is wrong with it: it checks itself on arrival.
  const [recheck, setRecheck] = useState(false);
  const [pending, setPending] = useState<'create' | 'dry-run' | null>(null);
  const secrets = useRef<Record<string, string>>({});
  const form = useRef<Form<JsonObject>>(null);
  const section = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const shownStep = useRef(step);
  const headingId = useId();

  const context = useMemo<ScaffoldContext>(
    () => ({
      source,
      secret: (name) => secrets.current[name],
      setSecret: (name, value) => {
        if (value) secrets.current[name] = value;
        else delete secrets.current[name];
      },
    }),
    [source],
  );

  // The parameters may change under the form (a workbench's file saved):
  // the values stay, keyed by name, whichever fields the pages now have.
  useEffect(() => {
    onValuesChange?.({ values: withoutSecrets(pages, values), secrets: { ...secrets.current } });
  }, [onValuesChange, pages, values]);

  // Past the last page is the review.
  const page = step < pages.length ? pages[step] : undefined;

  const go = (to: number, check = false) => {
    setStep(to);
    setFailed(null);
    setRecheck(check);
    if (to >= pages.length) setReviewed(true);
  };

  // A new page: its checks run if asked, then focus goes to its heading
  // unless a field took it (ui:autofocus, or the first field with an error).
  useEffect(() => {
    if (shownStep.current === step) return;
    shownStep.current = step;
    if (recheck) form.current?.validateForm();
    if (!section.current?.contains(document.activeElement)) heading.current?.focus();
  }, [step, recheck]);

  const firstInvalid = (data: JsonObject, from: number) =>
    pages.findIndex((p, i) => i >= from && !validatePage(p, data, fieldValidators).valid);

  const next = (data: JsonObject) => {
    setValues(data);
    if (!reviewed) return go(step + 1);
    const invalid = firstInvalid(data, step + 1);
    go(invalid < 0 ? pages.length : invalid, invalid >= 0);
  };

  const run = async (kind: 'create' | 'dry-run') => {
    const invalid = firstInvalid(values, 0);
    if (invalid >= 0) return go(invalid, true);
    const submit = kind === 'create' ? onSubmit : onDryRun;
    if (!submit) return;
    setPending(kind);
    try {
      await submit({ values: withoutSecrets(pages, values), secrets: { ...secrets.current } });
    } finally {
      setPending(null);
    }
  };

  const working = busy || pending !== null;
  const spinner = <LoaderCircle size={14} className="spin" aria-hidden="true" />;
  const titles = [...pages.map((p) => p.title), 'Review'];

  return (
    <div className="scaffold">
      {titles.length > 1 && <Steps titles={titles} step={step} onGo={(i) => go(i)} />}
      <section className="scaffold-page" aria-labelledby={headingId} ref={section}>
        <header className="scaffold-page-header">
          <h2 id={headingId} ref={heading} tabIndex={-1}>
            {page ? page.title : 'Review'}
          </h2>
          {page ? (
            page.description && <Markdown className="scaffold-page-description" text={page.description} />
          ) : (
            <p className="muted">Check what you entered. Nothing happens until you press {submitLabel}.</p>
          )}
        </header>
        {!page ? (
          <>
            <Review pages={pages} values={values} onEdit={(i) => go(i)} />
            {review?.(values)}
            <footer className="scaffold-actions">
              {pages.length > 0 && (
                <button type="button" className="button" onClick={() => go(pages.length - 1)} disabled={working}>
                  <ChevronLeft size={14} aria-hidden="true" /> {backLabel}
                </button>
              )}
              <span className="scaffold-actions-gap" />
              {onDryRun && (
                <button type="button" className="button" onClick={() => run('dry-run')} disabled={working}>
                  {pending === 'dry-run' ? spinner : <FlaskConical size={14} aria-hidden="true" />} Dry run
                </button>
              )}
              <button type="button" className="button button-primary" onClick={() => run('create')} disabled={working}>
                {pending === 'create' ? spinner : <Rocket size={14} aria-hidden="true" />} {submitLabel}
              </button>
            </footer>
          </>
        ) : (
          <Form<JsonObject>
            key={step}
            ref={form}
            className="scaffold-form"
            idPrefix="scaffold"
            schema={page.schema}
            uiSchema={page.uiSchema}
            formData={values}
            formContext={context}
            validator={validator}
            fields={fields}
            templates={templates}
            customValidate={customValidate(page, fieldValidators)}
            transformErrors={transformErrors}
            experimental_defaultFormStateBehavior={defaultsBehavior}
            liveValidate={failed !== null ? 'onChange' : undefined}
            showErrorList={false}
            noHtml5Validate
            focusOnFirstError
            disabled={busy}
            onChange={(e) => {
              if (e.formData) setValues(e.formData);
              if (failed !== null) setFailed(e.errors.length);
            }}
            onError={(errors) => setFailed(errors.length)}
            onSubmit={(e) => next(e.formData ?? values)}
          >
            {failed !== null && failed > 0 && (
              <p className="banner banner-error scaffold-summary" role="alert">
                {failed === 1 ? 'One field needs your attention.' : `${failed} fields need your attention.`}
              </p>
            )}
            <footer className="scaffold-actions">
              <button type="button" className="button" onClick={() => go(step - 1)} disabled={step === 0}>
                <ChevronLeft size={14} aria-hidden="true" /> {backLabel}
              </button>
              <span className="scaffold-actions-gap" />
              <button type="submit" className="button button-primary">
                {reviewed || step === pages.length - 1 ? reviewLabel : 'Next'} <ChevronRight size={14} aria-hidden="true" />
              </button>
            </footer>
          </Form>
        )}
      </section>
    </div>
  );
}
