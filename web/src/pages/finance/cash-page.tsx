import { useMemo, useState } from 'preact/hooks'
import { useResource } from '../../lib/use-api.ts'
import { usePurchase } from '../../lib/use-purchase.ts'
import { useForm } from '../../lib/use-form.ts'
import { formatCents, formatDate, formatDateTime, parseDollars } from '../../lib/format.ts'
import { cityTimeZone } from '../../lib/enforcement.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { Alert, FormAlert } from '../../components/alert/alert.tsx'
import { Button } from '../../components/button/button.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { StatusBadge } from '../../components/status-badge/status-badge.tsx'
import { FieldRow, SelectField, TextAreaField, TextField } from '../../components/field/field.tsx'
import { TableScroller, tableStyles as t } from '../../components/table/table.tsx'
import { FinanceNav } from './finance-nav/finance-nav.tsx'
import { CsvButton } from './csv-button/csv-button.tsx'
import { cityToday, label, query } from './finance.ts'
import type { CashDeviceList, Collection, CollectionList, Deposit, DepositList } from './types.ts'
import styles from './finance.module.css'

type Deposited = 'undeposited' | 'deposited' | 'all'

/** Kiosk and gate cash: what each box should hold, collections counted against it, and deposits. */
export function CashPage() {
  const devices = useResource<CashDeviceList>('/finance/cash/devices')
  const [deviceId, setDeviceId] = useState('')
  const [deposited, setDeposited] = useState<Deposited>('undeposited')
  const collectionsPath = `/finance/cash/collections${query({
    undeposited: deposited === 'all' ? undefined : String(deposited === 'undeposited'),
    limit: 500,
  })}`
  const collections = useResource<CollectionList>(collectionsPath)
  const deposits = useResource<DepositList>('/finance/deposits?limit=200')
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const reloadAll = () => {
    devices.reload()
    collections.reload()
    deposits.reload()
  }

  return (
    <Page
      title="Kiosk and gate cash"
      eyebrow="Finance · reconciliation"
      lede="Each collection is counted against the cash the machine’s sales left in its box since the last one; the difference posts to cash over/short. Deposit slips carry collections to the bank."
    >
      <FinanceNav />
      <div class={styles.stack}>
        <Panel
          title="Expected cash now"
          description={
            devices.data
              ? `${formatCents(devices.data.totalExpectedCents)} in the boxes; ${formatCents(devices.data.inTransitCents)} collected and not yet deposited.`
              : undefined
          }
        >
          {devices.error && (
            <Alert
              tone="error"
              title={`The machines could not be loaded: ${devices.error.message}`}
            />
          )}
          {!devices.data && devices.loading && <Loading label="Loading machines…" />}
          {devices.data && devices.data.devices.length === 0 && (
            <p class={styles.muted}>No kiosks or gates take cash.</p>
          )}
          {devices.data && devices.data.devices.length > 0 && (
            <TableScroller label="Expected cash per machine">
              <table class={`${t.table} ${t.cards} ${styles.anchor}`}>
                <caption class="visually-hidden">
                  Kiosks and gates with the cash their boxes should hold
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Machine</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Facility</th>
                    <th scope="col">Ledger account</th>
                    <th scope="col">Last collected</th>
                    <th scope="col" class={t.num}>
                      Expected
                    </th>
                    <th scope="col">
                      <span class="visually-hidden">Action</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {devices.data.devices.map((d) => (
                    <tr key={d.deviceId}>
                      <th scope="row">
                        {d.name}
                        {d.revoked && <span class={styles.subtle}> (revoked)</span>}
                      </th>
                      <td data-label="Kind">{label(d.kind)}</td>
                      <td data-label="Facility">{d.facility ?? '—'}</td>
                      <td data-label="Ledger account" class={t.mono}>
                        {d.account}
                      </td>
                      <td data-label="Last collected" class={t.nowrap}>
                        {d.lastCollectedAt
                          ? formatDateTime(d.lastCollectedAt, cityTimeZone())
                          : 'Never'}
                      </td>
                      <td data-label="Expected" class={t.num}>
                        {formatCents(d.expectedCents)}
                      </td>
                      <td class={t.actions}>
                        <Button
                          variant="quiet"
                          size="small"
                          onClick={() => {
                            setDeviceId(String(d.deviceId))
                            document
                              .getElementById('collection-form')
                              ?.scrollIntoView({ block: 'start' })
                          }}
                        >
                          Collect<span class="visually-hidden"> from {d.name}</span>
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroller>
          )}
        </Panel>

        <Panel title="Record a collection" description="The cash counted out of a machine’s box.">
          <CollectionForm
            devices={devices.data}
            deviceId={deviceId}
            onDevice={setDeviceId}
            onDone={reloadAll}
          />
        </Panel>

        <Panel
          title="Collections"
          description={
            collections.data
              ? `${collections.data.totals.count} counted ${formatCents(collections.data.totals.countedCents)} against ${formatCents(collections.data.totals.expectedCents)} expected; over/short ${formatCents(collections.data.totals.overShortCents)}.`
              : 'Newest first.'
          }
          actions={<CsvButton path={collectionsPath} filename="cash-collections.csv" />}
        >
          <div class={styles.filters}>
            <SelectField
              label="Show"
              name="deposited"
              value={deposited}
              onValue={(v) => {
                setDeposited(v as Deposited)
                setSelected(new Set())
              }}
            >
              <option value="undeposited">Not yet deposited</option>
              <option value="deposited">Deposited</option>
              <option value="all">All collections</option>
            </SelectField>
          </div>
          {collections.error && (
            <Alert
              tone="error"
              title={`The collections could not be loaded: ${collections.error.message}`}
            />
          )}
          {!collections.data && collections.loading && <Loading label="Loading collections…" />}
          {collections.data && (
            <Collections
              list={collections.data.collections}
              selected={selected}
              onSelected={setSelected}
            />
          )}
        </Panel>

        <Panel
          title="Record a bank deposit"
          description="Tick the undeposited collections the slip carries, then enter the slip."
        >
          <DepositForm
            collections={collections.data?.collections.filter((c) => selected.has(c.id)) ?? []}
            onDone={() => {
              setSelected(new Set())
              reloadAll()
            }}
          />
        </Panel>

        <Panel
          title="Bank deposits"
          description={
            deposits.data
              ? `${deposits.data.totals.count} ${deposits.data.totals.count === 1 ? 'slip' : 'slips'}, ${formatCents(deposits.data.totals.amountCents)} deposited against ${formatCents(deposits.data.totals.collectionsCents)} collected.`
              : undefined
          }
          actions={<CsvButton path="/finance/deposits?limit=1000" filename="bank-deposits.csv" />}
        >
          {deposits.error && (
            <Alert
              tone="error"
              title={`The deposits could not be loaded: ${deposits.error.message}`}
            />
          )}
          {!deposits.data && deposits.loading && <Loading label="Loading deposits…" />}
          {deposits.data && <Deposits list={deposits.data.deposits} />}
        </Panel>
      </div>
    </Page>
  )
}

function CollectionForm({
  devices,
  deviceId,
  onDevice,
  onDone,
}: {
  devices: CashDeviceList | null
  deviceId: string
  onDevice: (id: string) => void
  onDone: () => void
}) {
  const send = usePurchase()
  const form = useForm()
  const [counted, setCounted] = useState('')
  const [note, setNote] = useState('')
  const [result, setResult] = useState<Collection | null>(null)
  const device = devices?.devices.find((d) => String(d.deviceId) === deviceId)
  const countedCents = parseDollars(counted)
  const preview = device && countedCents !== null ? countedCents - device.expectedCents : null

  const submit = (ev: Event) => {
    ev.preventDefault()
    const errors: Record<string, string> = {}
    if (!deviceId) {
      errors.deviceId = 'Choose the machine'
    }
    if (countedCents === null) {
      errors.countedCents = 'Write the amount counted, e.g. 412.50'
    }
    if (Object.keys(errors).length > 0) {
      form.fail('Check the collection', errors)
      return
    }
    void form.submit(async () => {
      const { data } = await send.pay<Collection>('/finance/cash/collections', {
        deviceId: Number(deviceId),
        countedCents,
        note: note.trim() || undefined,
      })
      send.done()
      setResult(data)
      setCounted('')
      setNote('')
      onDone()
    })
  }

  return (
    <form
      id="collection-form"
      class={styles.form}
      onSubmit={submit}
      noValidate
      aria-label="Record a collection"
    >
      <FormAlert
        error={form.error}
        fieldErrors={form.fieldErrors}
        labels={{ deviceId: 'Machine', countedCents: 'Counted' }}
      />
      {result && <CollectionResult collection={result} />}
      <FieldRow>
        <SelectField
          label="Machine"
          name="deviceId"
          required
          value={deviceId}
          onValue={onDevice}
          error={form.fieldErrors.deviceId}
        >
          <option value="">Choose…</option>
          {devices?.devices.map((d) => (
            <option key={d.deviceId} value={String(d.deviceId)}>
              {d.name} ({label(d.kind).toLowerCase()}
              {d.facility ? `, ${d.facility}` : ''})
            </option>
          ))}
        </SelectField>
        <TextField
          label="Counted"
          name="countedCents"
          required
          prefix="$"
          chars={10}
          inputMode="decimal"
          value={counted}
          onValue={setCounted}
          error={form.fieldErrors.countedCents}
          hint={device ? `Expected ${formatCents(device.expectedCents)}` : undefined}
        />
      </FieldRow>
      {preview !== null && (
        <p class={preview === 0 ? styles.good : styles.bad} role="status">
          {preview === 0
            ? 'Exactly as expected.'
            : preview > 0
              ? `Over by ${formatCents(preview)}.`
              : `Short by ${formatCents(-preview)}.`}
        </p>
      )}
      <TextAreaField
        label="Note"
        name="note"
        maxLength={500}
        rows={2}
        value={note}
        onValue={setNote}
      />
      <div class={styles.buttons}>
        <Button type="submit" busy={form.busy}>
          Record the collection
        </Button>
      </div>
    </form>
  )
}

function CollectionResult({ collection: c }: { collection: Collection }) {
  const diff = c.overShortCents
  return (
    <Alert
      tone={c.beyondTolerance ? 'warning' : 'success'}
      title={`Collection from ${c.deviceName} recorded: ${
        diff === 0
          ? 'exactly as expected'
          : diff > 0
            ? `over by ${formatCents(diff)}`
            : `short by ${formatCents(-diff)}`
      }`}
    >
      <p>
        Counted {formatCents(c.countedCents)} against {formatCents(c.expectedCents)} expected.
        {c.exceptionId !== null && (
          <>
            {' '}
            Beyond the tolerance:{' '}
            <a href="/finance/exceptions?kind=cash_over_short">exception #{c.exceptionId}</a> was
            raised.
          </>
        )}
      </p>
    </Alert>
  )
}

function overShort(cents: number) {
  if (cents === 0) {
    return <span>{formatCents(0)}</span>
  }
  return (
    <span class={styles.bad}>
      {cents > 0 ? `over ${formatCents(cents)}` : `short ${formatCents(-cents)}`}
    </span>
  )
}

function Collections({
  list,
  selected,
  onSelected,
}: {
  list: Collection[]
  selected: Set<string>
  onSelected: (s: Set<string>) => void
}) {
  if (list.length === 0) {
    return <p class={styles.muted}>No collections.</p>
  }
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected)
    if (on) {
      next.add(id)
    } else {
      next.delete(id)
    }
    onSelected(next)
  }
  return (
    <TableScroller label="Collections">
      <table class={`${t.table} ${t.cards}`}>
        <caption class="visually-hidden">Cash collections, newest first</caption>
        <thead>
          <tr>
            <th scope="col">
              <span class="visually-hidden">Choose for a deposit</span>
            </th>
            <th scope="col">Machine</th>
            <th scope="col">Collected</th>
            <th scope="col">By</th>
            <th scope="col" class={t.num}>
              Expected
            </th>
            <th scope="col" class={t.num}>
              Counted
            </th>
            <th scope="col" class={t.num}>
              Over/short
            </th>
            <th scope="col">Deposit slip</th>
          </tr>
        </thead>
        <tbody>
          {list.map((c) => (
            <tr key={c.id}>
              <td>
                {c.depositSlip === null && (
                  <input
                    type="checkbox"
                    checked={selected.has(c.id)}
                    aria-label={`Deposit the ${formatCents(c.countedCents)} from ${c.deviceName} collected ${formatDateTime(c.collectedAt, cityTimeZone())}`}
                    onChange={(ev) => toggle(c.id, ev.currentTarget.checked)}
                  />
                )}
              </td>
              <th scope="row">{c.deviceName}</th>
              <td data-label="Collected" class={t.nowrap}>
                {formatDateTime(c.collectedAt, cityTimeZone())}
              </td>
              <td data-label="By">{c.collectedBy ?? '—'}</td>
              <td data-label="Expected" class={t.num}>
                {formatCents(c.expectedCents)}
              </td>
              <td data-label="Counted" class={t.num}>
                {formatCents(c.countedCents)}
              </td>
              <td data-label="Over/short" class={t.num}>
                {overShort(c.overShortCents)}
                {c.exceptionId !== null && (
                  <a class={styles.block} href="/finance/exceptions?kind=cash_over_short">
                    Exception #{c.exceptionId}
                  </a>
                )}
              </td>
              <td data-label="Deposit slip">
                {c.depositSlip ?? <span class={styles.muted}>Not yet</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroller>
  )
}

function DepositForm({ collections, onDone }: { collections: Collection[]; onDone: () => void }) {
  const send = usePurchase()
  const form = useForm()
  const [slip, setSlip] = useState('')
  const [day, setDay] = useState(cityToday())
  const [amount, setAmount] = useState('')
  const [result, setResult] = useState<Deposit | null>(null)
  const total = useMemo(() => collections.reduce((s, c) => s + c.countedCents, 0), [collections])
  const amountCents = parseDollars(amount)

  const submit = (ev: Event) => {
    ev.preventDefault()
    const errors: Record<string, string> = {}
    if (collections.length === 0) {
      errors.collectionIds = 'Tick the collections the slip carries, in the list above'
    }
    if (!/^[A-Za-z0-9-]{1,40}$/.test(slip.trim())) {
      errors.slipNumber = 'Letters, digits and dashes, as printed on the slip'
    }
    if (amountCents === null || amountCents <= 0) {
      errors.amountCents = 'Write the amount on the slip, e.g. 1204.50'
    }
    if (Object.keys(errors).length > 0) {
      form.fail('Check the deposit', errors)
      return
    }
    void form.submit(async () => {
      const { data } = await send.pay<Deposit>('/finance/deposits', {
        slipNumber: slip.trim(),
        depositedOn: day,
        amountCents,
        collectionIds: collections.map((c) => c.id),
      })
      send.done()
      setResult(data)
      setSlip('')
      setAmount('')
      onDone()
    })
  }

  return (
    <form class={styles.form} onSubmit={submit} noValidate aria-label="Record a bank deposit">
      <FormAlert
        error={form.error}
        fieldErrors={form.fieldErrors}
        labels={{
          collectionIds: 'Collections',
          slipNumber: 'Slip number',
          amountCents: 'Amount',
          depositedOn: 'Deposited on',
        }}
      />
      {result && (
        <Alert
          tone={result.status === 'matched' ? 'success' : 'warning'}
          title={
            result.status === 'matched'
              ? `Slip ${result.slipNumber} recorded: it matches its ${result.collectionIds.length} collections.`
              : `Slip ${result.slipNumber} recorded with a difference of ${formatCents(result.differenceCents)}`
          }
        >
          {result.exceptionId !== null && (
            <p>
              <a href="/finance/exceptions?kind=deposit_mismatch">
                Exception #{result.exceptionId}
              </a>{' '}
              was raised for it.
            </p>
          )}
        </Alert>
      )}
      <p>
        {collections.length === 0
          ? 'No collections ticked yet.'
          : `${collections.length} ${collections.length === 1 ? 'collection' : 'collections'} ticked, counted ${formatCents(total)}.`}
      </p>
      <FieldRow>
        <TextField
          label="Slip number"
          name="slipNumber"
          required
          chars={16}
          value={slip}
          onValue={setSlip}
          error={form.fieldErrors.slipNumber}
        />
        <TextField
          type="date"
          label="Deposited on"
          name="depositedOn"
          required
          value={day}
          onValue={setDay}
          error={form.fieldErrors.depositedOn}
        />
        <TextField
          label="Amount on the slip"
          name="amountCents"
          required
          prefix="$"
          chars={10}
          inputMode="decimal"
          value={amount}
          onValue={setAmount}
          error={form.fieldErrors.amountCents}
        />
      </FieldRow>
      {amountCents !== null && collections.length > 0 && (
        <p class={amountCents === total ? styles.good : styles.bad} role="status">
          {amountCents === total
            ? 'The slip equals the collections ticked.'
            : `The slip differs from the collections by ${formatCents(amountCents - total)}.`}
        </p>
      )}
      <div class={styles.buttons}>
        <Button type="submit" busy={form.busy}>
          Record the deposit
        </Button>
        {collections.length > 0 && amount === '' && (
          <Button variant="secondary" onClick={() => setAmount((total / 100).toFixed(2))}>
            Use {formatCents(total)}
          </Button>
        )}
      </div>
    </form>
  )
}

function Deposits({ list }: { list: Deposit[] }) {
  if (list.length === 0) {
    return <p class={styles.muted}>No deposits yet.</p>
  }
  return (
    <TableScroller label="Bank deposits">
      <table class={`${t.table} ${t.cards}`}>
        <caption class="visually-hidden">Bank deposit slips, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Slip</th>
            <th scope="col">Deposited</th>
            <th scope="col" class={t.num}>
              Collections
            </th>
            <th scope="col" class={t.num}>
              Counted
            </th>
            <th scope="col" class={t.num}>
              Slip amount
            </th>
            <th scope="col" class={t.num}>
              Difference
            </th>
            <th scope="col">Status</th>
            <th scope="col">Entered by</th>
          </tr>
        </thead>
        <tbody>
          {list.map((d) => (
            <tr key={d.id}>
              <th scope="row" class={t.mono}>
                {d.slipNumber}
              </th>
              <td data-label="Deposited" class={t.nowrap}>
                {formatDate(d.depositedOn)}
              </td>
              <td data-label="Collections" class={t.num}>
                {d.collectionIds.length}
              </td>
              <td data-label="Counted" class={t.num}>
                {formatCents(d.collectionsCents)}
              </td>
              <td data-label="Slip amount" class={t.num}>
                {formatCents(d.amountCents)}
              </td>
              <td data-label="Difference" class={t.num}>
                {d.differenceCents === 0 ? (
                  formatCents(0)
                ) : (
                  <span class={styles.bad}>{formatCents(d.differenceCents)}</span>
                )}
              </td>
              <td data-label="Status">
                <StatusBadge tone={d.status === 'matched' ? 'live' : 'late'}>
                  {label(d.status)}
                </StatusBadge>
              </td>
              <td data-label="Entered by">{d.enteredBy ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroller>
  )
}
