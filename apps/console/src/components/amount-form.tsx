import { type FormEvent, type ReactNode, useState } from 'react';
import { parseMoney } from '../money/money';
import { ErrorNote } from './error-note';

interface Props {
  readonly id: string;
  readonly label: string;
  readonly currency: string;
  /** An empty amount means "all of it" to the API (capture, reverse); required otherwise. */
  readonly optional?: boolean;
  readonly submitLabel: string;
  readonly busy: boolean;
  readonly error: string | null;
  readonly children?: ReactNode;
  readonly onSubmit: (minor: string | undefined) => void;
  readonly onCancel: () => void;
}

/** An inline form for an amount in the wallet's currency, turned into minor units exactly. */
export function AmountForm({ id, label, currency, optional = false, submitLabel, busy, error, children, onSubmit, onCancel }: Props) {
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (optional && text.trim() === '') return onSubmit(undefined);
    const minor = parseMoney(text, currency);
    if (!minor) return setInvalid(`Enter a positive amount in ${currency}, with at most its decimal places.`);
    setInvalid(null);
    onSubmit(minor);
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label={submitLabel}>
      <div className="field">
        <label htmlFor={`${id}-amount`}>
          {label} ({currency}){optional ? ', empty for all' : ''}
        </label>
        <input id={`${id}-amount`} inputMode="decimal" value={text} onChange={(event) => setText(event.target.value)} required={!optional} autoFocus />
      </div>
      {children}
      <button type="submit" disabled={busy}>
        {submitLabel}
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel
      </button>
      <ErrorNote error={invalid ?? error} />
    </form>
  );
}
