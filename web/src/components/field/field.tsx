import type { ComponentChildren } from 'preact'
import { useId } from 'preact/hooks'
import { US_STATES, CANADIAN_PROVINCES } from '../../lib/us-states.ts'
import styles from './field.module.css'

interface FieldFrameProps {
  id: string
  label: string
  hint?: string
  error?: string
  optional?: boolean
  children: ComponentChildren
}

function FieldFrame({ id, label, hint, error, optional, children }: FieldFrameProps) {
  return (
    <div class={error ? `${styles.field} ${styles.invalid}` : styles.field}>
      <label class={styles.label} for={id}>
        {label}
        {optional && <span class={styles.optional}> (optional)</span>}
      </label>
      <Messages id={id} hint={hint} error={error} />
      {children}
    </div>
  )
}

/** A field's hint and error, under ids its input names in aria-describedby. */
function Messages({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  return (
    <>
      {hint && (
        <p class={styles.hint} id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class={styles.error} id={`${id}-error`}>
          <span class="visually-hidden">Error: </span>
          {error}
        </p>
      )}
    </>
  )
}

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean)
  return ids.length > 0 ? ids.join(' ') : undefined
}

type InputType = 'text' | 'email' | 'password' | 'tel' | 'date'

// preact pairs each input type with the ARIA roles it allows, so the type goes in as a union of
// objects (which TypeScript checks member by member) rather than an object holding a union.
type TypeAttribute =
  | { type: 'text' }
  | { type: 'email' }
  | { type: 'password' }
  | { type: 'tel' }
  | { type: 'date' }

interface InputProps {
  id?: string
  type?: InputType
  name: string
  required?: boolean
  autoComplete?: string
  inputMode?: 'text' | 'numeric' | 'decimal' | 'email' | 'tel'
  autoCapitalize?: 'off' | 'characters' | 'words' | 'sentences'
  spellcheck?: boolean
  maxLength?: number
  readOnly?: boolean
  label: string
  value: string
  onValue: (value: string) => void
  hint?: string
  error?: string
  /** Width in characters, for inputs whose answer has a known length (ZIP, plate). */
  chars?: number
  /** A unit shown inside the box before the answer, e.g. "$". */
  prefix?: string
}

export function TextField(props: InputProps) {
  const { label, value, onValue, hint, error, chars, prefix, id, type = 'text', ...rest } = props
  const generated = useId()
  const fieldId = id ?? generated
  const typeAttribute: TypeAttribute = { type }
  const width = chars ? { maxWidth: `calc(${chars}ch + ${prefix ? 3.5 : 2}rem)` } : undefined
  const input = (
    <input
      {...typeAttribute}
      {...rest}
      id={fieldId}
      class={prefix ? `${styles.input} ${styles.prefixed}` : styles.input}
      style={prefix ? undefined : width}
      value={value}
      onInput={(e) => onValue(e.currentTarget.value)}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy(fieldId, hint, error)}
    />
  )
  return (
    <FieldFrame id={fieldId} label={label} hint={hint} error={error} optional={!rest.required}>
      {prefix ? (
        <div class={styles.group} style={width}>
          <span class={styles.prefix} aria-hidden="true">
            {prefix}
          </span>
          {input}
        </div>
      ) : (
        input
      )}
    </FieldFrame>
  )
}

interface SelectProps {
  id?: string
  name: string
  required?: boolean
  label: string
  value: string
  onValue: (value: string) => void
  hint?: string
  error?: string
  children: ComponentChildren
}

export function SelectField(props: SelectProps) {
  const { label, value, onValue, hint, error, id, children, ...rest } = props
  const generated = useId()
  const fieldId = id ?? generated
  return (
    <FieldFrame id={fieldId} label={label} hint={hint} error={error} optional={!rest.required}>
      <select
        {...rest}
        id={fieldId}
        class={styles.select}
        value={value}
        onChange={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, hint, error)}
      >
        {children}
      </select>
    </FieldFrame>
  )
}

interface FileProps {
  id?: string
  name: string
  required?: boolean
  label: string
  /** File types the picker offers, e.g. ".csv,text/csv". */
  accept?: string
  hint?: string
  error?: string
  onFile: (file: File | null) => void
}

export function FileField(props: FileProps) {
  const { label, hint, error, id, onFile, ...rest } = props
  const generated = useId()
  const fieldId = id ?? generated
  return (
    <FieldFrame id={fieldId} label={label} hint={hint} error={error} optional={!rest.required}>
      <input
        {...rest}
        type="file"
        id={fieldId}
        class={`${styles.input} ${styles.file}`}
        onChange={(e) => onFile(e.currentTarget.files?.[0] ?? null)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, hint, error)}
      />
    </FieldFrame>
  )
}

interface TextAreaProps {
  id?: string
  name: string
  required?: boolean
  maxLength?: number
  rows?: number
  label: string
  value: string
  onValue: (value: string) => void
  hint?: string
  error?: string
}

/** A labelled multi-line answer. */
export function TextAreaField(props: TextAreaProps) {
  const { label, value, onValue, hint, error, id, rows = 3, ...rest } = props
  const generated = useId()
  const fieldId = id ?? generated
  return (
    <FieldFrame id={fieldId} label={label} hint={hint} error={error} optional={!rest.required}>
      <textarea
        {...rest}
        id={fieldId}
        class={styles.textarea}
        rows={rows}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, hint, error)}
      />
    </FieldFrame>
  )
}

interface CheckProps {
  id?: string
  name: string
  label: ComponentChildren
  checked: boolean
  onChange: (checked: boolean) => void
  hint?: string
  error?: string
  disabled?: boolean
}

/** A checkbox with its label beside it and its hint underneath. */
export function CheckField(props: CheckProps) {
  const { label, checked, onChange, hint, error, id, ...rest } = props
  const generated = useId()
  const fieldId = id ?? generated
  return (
    <div class={error ? `${styles.check} ${styles.invalid}` : styles.check}>
      <input
        {...rest}
        id={fieldId}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.currentTarget.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, hint, error)}
      />
      <label for={fieldId}>{label}</label>
      <Messages id={fieldId} hint={hint} error={error} />
    </div>
  )
}

export interface Choice<T extends string> {
  value: T
  label: string
  hint?: string
}

interface RadioProps<T extends string> {
  name: string
  legend: string
  value: T
  onValue: (value: T) => void
  choices: readonly Choice<T>[]
  hint?: string
  error?: string
}

/** One answer from a few, each explained in words under its label. */
export function RadioGroup<T extends string>(props: RadioProps<T>) {
  const { name, legend, value, onValue, choices, hint, error } = props
  const id = useId()
  return (
    <fieldset
      class={error ? `${styles.radios} ${styles.invalid}` : styles.radios}
      aria-describedby={describedBy(id, hint, error)}
    >
      <legend class={styles.label}>{legend}</legend>
      <Messages id={id} hint={hint} error={error} />
      {choices.map((c) => (
        <div key={c.value} class={styles.check}>
          <input
            id={`${id}-${c.value}`}
            type="radio"
            name={name}
            value={c.value}
            checked={value === c.value}
            onChange={() => onValue(c.value)}
            aria-describedby={c.hint ? `${id}-${c.value}-hint` : undefined}
          />
          <label for={`${id}-${c.value}`}>{c.label}</label>
          <Messages id={`${id}-${c.value}`} hint={c.hint} />
        </div>
      ))}
    </fieldset>
  )
}

/** A value that cannot be changed here, where its field would be: a code, once saved. */
export function FixedField({ label, value }: { label: string; value: string }) {
  return (
    <div class={styles.field}>
      <span class={styles.label}>{label}</span>
      <span class={styles.fixed}>{value}</span>
    </div>
  )
}

/** Lays fields out in a responsive row that wraps on narrow screens. */
export function FieldRow({ children }: { children: ComponentChildren }) {
  return <div class={styles.row}>{children}</div>
}

/** The state or province a plate is issued by: every US state and territory, then Canada's. */
export function PlateStateField(props: Omit<SelectProps, 'children'>) {
  return (
    <SelectField {...props}>
      <option value="">Choose…</option>
      <optgroup label="United States">
        {US_STATES.map(([code, name]) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </optgroup>
      <optgroup label="Canada">
        {CANADIAN_PROVINCES.map(([code, name]) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </optgroup>
    </SelectField>
  )
}

interface PlateFieldsProps {
  plate: string
  state: string
  onPlate: (value: string) => void
  onState: (value: string) => void
  plateError?: string
  stateError?: string
  plateHint?: string
  stateHint?: string
  /** "Plate number" and "State or province" unless the form says whose, e.g. a visitor's. */
  labels?: { plate: string; state: string }
  /** The inputs' names, "plate" and "state" unless the form holds another plate. */
  names?: { plate: string; state: string }
  /** Width of the plate box in characters; the row's full width unless given. */
  plateChars?: number
  /** Both are required unless the form can go on without them (false). */
  required?: boolean
}

/** A plate as printed and the state or province that issued it, side by side. */
export function PlateFields(props: PlateFieldsProps) {
  const labels = props.labels ?? { plate: 'Plate number', state: 'State or province' }
  const names = props.names ?? { plate: 'plate', state: 'state' }
  const required = props.required ?? true
  return (
    <FieldRow>
      <TextField
        label={labels.plate}
        name={names.plate}
        hint={props.plateHint}
        autoComplete="off"
        autoCapitalize="characters"
        spellcheck={false}
        required={required}
        maxLength={12}
        chars={props.plateChars}
        value={props.plate}
        onValue={props.onPlate}
        error={props.plateError}
      />
      <PlateStateField
        label={labels.state}
        name={names.state}
        hint={props.stateHint}
        required={required}
        value={props.state}
        onValue={props.onState}
        error={props.stateError}
      />
    </FieldRow>
  )
}
