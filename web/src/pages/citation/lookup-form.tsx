import { useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { noticePath } from '../../lib/enforcement.ts'
import { useForm } from '../../lib/use-form.ts'
import { Button } from '../../components/button/button.tsx'
import { FormAlert } from '../../components/alert/alert.tsx'
import { TextField } from '../../components/field/field.tsx'

const LABELS = { number: 'Citation number', plate: 'Plate' }

/** Finds a citation by the number on the notice and the vehicle's plate (together the key). */
export function LookupForm({ number = '', plate = '' }: { number?: string; plate?: string }) {
  const { route } = useLocation()
  const form = useForm()
  const [n, setN] = useState(number)
  const [p, setP] = useState(plate)

  const submit = (e: Event) => {
    e.preventDefault()
    const wanted = n.trim().toUpperCase().replace(/\s+/g, '')
    const vehicle = p.trim().toUpperCase()
    const errors: Record<string, string> = {}
    if (!/^[A-Z0-9-]{4,20}$/.test(wanted)) {
      errors.number = 'The number on the notice, e.g. C26000123'
    }
    if (!vehicle) {
      errors.plate = 'The plate of the vehicle on the notice'
    }
    if (Object.keys(errors).length > 0) {
      form.fail('Check the number and plate', errors)
      return
    }
    route(noticePath(wanted, vehicle))
  }

  return (
    <form aria-label="Find a citation" noValidate onSubmit={submit}>
      <FormAlert error={form.error} fieldErrors={form.fieldErrors} labels={LABELS} />
      <TextField
        label={LABELS.number}
        name="number"
        required
        autoCapitalize="characters"
        autoComplete="off"
        spellcheck={false}
        maxLength={20}
        chars={12}
        hint="At the top of the notice, e.g. C26000123"
        value={n}
        onValue={setN}
        error={form.fieldErrors.number}
      />
      <TextField
        label={LABELS.plate}
        name="plate"
        required
        autoCapitalize="characters"
        autoComplete="off"
        spellcheck={false}
        maxLength={12}
        chars={9}
        value={p}
        onValue={setP}
        error={form.fieldErrors.plate}
      />
      <Button type="submit">Find the citation</Button>
    </form>
  )
}
