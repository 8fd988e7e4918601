/**
 * "Run <deployment>": a form built from the deployment's parameter schema (labelled fields,
 * required markers, inline messages — ours and the API's 400 issues), which starts the run and
 * opens its detail page.
 */
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { parameterFields, type Deployment, type ParameterField } from '@flowlight/schema';
import { ApiError, errorMessage } from '../../api/client';
import { deploymentCommands, deploymentKeys } from '../../api/deployments';
import { Modal } from '../../components/Dialog';
import { notify } from '../../components/Toaster';
import { Button } from '../../components/ui';
import { initialValues, issuesByField, toParameters, type FormValue } from './parameterForm';

const inputClass =
  'h-7 w-full rounded-md border border-line-strong bg-panel px-2 text-[13px] text-fg aria-[invalid=true]:border-danger focus:outline-2 focus:outline-accent';

function Field({
  field,
  value,
  error,
  onChange,
}: {
  field: ParameterField;
  value: FormValue;
  error: string | undefined;
  onChange: (v: FormValue) => void;
}) {
  const id = useId();
  const errId = `${id}-error`;
  const common = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? errId : undefined,
    'aria-required': field.required || undefined,
  } as const;
  const hint =
    field.kind === 'array' ? 'Separate items with commas' : field.kind === 'json' ? 'JSON' : (field.description ?? null);
  let input;
  if (field.kind === 'boolean') {
    input = <input type="checkbox" {...common} checked={value === true} onChange={(e) => onChange(e.target.checked)} className="size-4 accent-accent" />;
  } else if (field.kind === 'enum') {
    input = (
      <select {...common} value={String(value)} onChange={(e) => onChange(e.target.value)} className={inputClass}>
        <option value="">{field.required ? 'Choose…' : '(default)'}</option>
        {(field.options ?? []).map((o) => (
          <option key={String(o)} value={String(o)}>
            {String(o)}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === 'json') {
    input = <textarea {...common} value={String(value)} onChange={(e) => onChange(e.target.value)} rows={3} className={`${inputClass} h-auto py-1 font-mono`} />;
  } else {
    const numeric = field.kind === 'number' || field.kind === 'integer';
    input = (
      <input
        type="text"
        inputMode={numeric ? (field.kind === 'integer' ? 'numeric' : 'decimal') : undefined}
        {...common}
        value={String(value)}
        onChange={(e) => onChange(e.target.value)}
        className={`${inputClass} ${numeric ? 'tabular' : ''}`}
      />
    );
  }
  return (
    <div className={field.kind === 'boolean' ? 'flex flex-wrap items-center gap-2' : 'flex flex-col gap-1'}>
      <label htmlFor={id} className="text-[13px] font-medium text-fg">
        {field.title}
        {field.required ? (
          <span aria-hidden className="ml-0.5 text-danger" title="required">
            *
          </span>
        ) : null}
      </label>
      {input}
      {hint && !error ? <p className="text-[11px] text-fg-subtle">{hint}</p> : null}
      {error ? (
        <p id={errId} className="text-xs text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function RunDialog({
  deployment,
  open,
  onClose,
  parameters,
}: {
  deployment: Deployment;
  open: boolean;
  onClose: () => void;
  /** Values to start from instead of the deployment's (e.g. those of a run to run again). */
  parameters?: Record<string, unknown> | undefined;
}) {
  const fields = useMemo(() => parameterFields(deployment.parameterSchema), [deployment.parameterSchema]);
  const [values, setValues] = useState(() => initialValues(fields, { ...deployment.parameters, ...parameters }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const formId = useId();
  const navigate = useNavigate();
  const qc = useQueryClient();

  const start = useMutation({
    mutationFn: (parameters: Record<string, unknown>) => deploymentCommands.run(deployment.id, { parameters }),
    onSuccess: (run) => {
      void qc.invalidateQueries({ queryKey: deploymentKeys.all });
      notify('success', `Started ${run.name}.`);
      onClose();
      void navigate(`/runs/${encodeURIComponent(run.id)}`);
    },
    onError: (e) => {
      if (e instanceof ApiError && e.issues.length) {
        const { byField, other } = issuesByField(e.issues, fields);
        setErrors(byField);
        setGeneral(other.length ? [e.message, ...other] : Object.keys(byField).length ? [] : [e.message]);
      } else setGeneral([errorMessage(e)]);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const out = toParameters(fields, values);
    setErrors(out.errors);
    setGeneral([]);
    if (Object.keys(out.errors).length) return;
    // Fields the schema does not describe keep the deployment's defaults (merged by the API).
    start.mutate(out.parameters);
  };

  return (
    <Modal
      open={open}
      title={`Run ${deployment.name}`}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} variant="primary" icon="play" disabled={start.isPending}>
            {start.isPending ? 'Starting…' : 'Start run'}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate aria-label={`Parameters of ${deployment.name}`} className="flex flex-col gap-3">
        <p>
          A new run of <span className="font-medium text-fg">{deployment.flowName}</span>, picked up by a worker serving this deployment.
        </p>
        {fields.length === 0 ? (
          <p className="text-fg-subtle">
            {Object.keys(deployment.parameters).length
              ? `Runs with the deployment's parameters: ${JSON.stringify(deployment.parameters)}`
              : 'This flow takes no parameters.'}
          </p>
        ) : (
          fields.map((f) => (
            <Field
              key={f.key}
              field={f}
              value={values[f.key] ?? ''}
              error={errors[f.key]}
              onChange={(v) => {
                setValues((old) => ({ ...old, [f.key]: v }));
                if (errors[f.key]) setErrors(({ [f.key]: _gone, ...rest }) => rest);
              }}
            />
          ))
        )}
        {general.length ? (
          <div role="alert" className="rounded-md border border-danger/40 bg-danger/8 px-3 py-2 text-[13px] text-fg">
            {general.map((g) => (
              <p key={g}>{g}</p>
            ))}
          </div>
        ) : null}
      </form>
    </Modal>
  );
}
