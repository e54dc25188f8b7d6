import { useCallback, useEffect, useState } from 'preact/hooks'
import { useI18n } from '../../lib/i18n.ts'
import type { KioskFacility } from '../../lib/facilities.ts'
import type { Receipt } from '../../lib/receipt.ts'
import type { DeviceInfo } from '../../lib/use-device.ts'
import type { ConnectionState } from '../../lib/use-connection.ts'
import { useHomeFacility } from '../../lib/use-facility.ts'
import { useIdle } from '../../lib/use-idle.ts'
import { useSales } from '../../lib/use-sales.ts'
import { ScreenFrame } from '../screen-frame/screen-frame.tsx'
import { TechnicianMenu } from '../technician-menu/technician-menu.tsx'
import { IdleWarning } from '../idle-warning/idle-warning.tsx'
import { StartScreen } from '../start-screen/start-screen.tsx'
import { ZoneScreen } from '../zone-screen/zone-screen.tsx'
import { PlateScreen } from '../plate-screen/plate-screen.tsx'
import { TimeScreen } from '../time-screen/time-screen.tsx'
import { PayScreen } from '../pay-screen/pay-screen.tsx'
import { cardsTaken } from '../../lib/card.ts'
import { ReceiptScreen } from '../receipt-screen/receipt-screen.tsx'

interface Props {
  device: DeviceInfo
  token: string
  /** False when the kiosk started offline and runs as the device it last verified. */
  verified: boolean
  connection: ConnectionState
  signOut: () => void
}

type Screen = 'start' | 'zone' | 'plate' | 'time' | 'pay' | 'receipt'

/** Most plates here are the city's own state's. */
const HOME_STATE = 'NC'
/** A customer who walks away leaves the next one a clean start screen. */
const IDLE_MS = 60_000

/** The pay-for-parking flow: zone, plate, time, cash, receipt; then back to the start. */
export function PayStation({ device, token, verified, connection, signOut }: Props) {
  const { lang, setLang } = useI18n()
  const home = useHomeFacility(device.facility, connection.status === 'online')
  const sales = useSales(token, device.id, connection)
  const online = connection.status === 'online'
  const [cardsOn, setCardsOn] = useState(false)
  useEffect(() => {
    if (device.cardReader && online) {
      void cardsTaken().then(setCardsOn)
    }
  }, [device.cardReader, online])
  const cardsHere = device.cardReader && cardsOn && online
  const [screen, setScreen] = useState<Screen>('start')
  const [otherZone, setOtherZone] = useState<KioskFacility | null>(null)
  const [plate, setPlate] = useState('')
  const [plateState, setPlateState] = useState(HOME_STATE)
  const [minutes, setMinutes] = useState<number | null>(null)
  const [receipt, setReceipt] = useState<Receipt | null>(null)
  const [hold, setHold] = useState(false)

  const facility = otherZone ?? (home.status === 'ready' ? home.facility : null)

  const startOver = useCallback(() => {
    setScreen('start')
    setOtherZone(null)
    setPlate('')
    setPlateState(HOME_STATE)
    setMinutes(null)
    setReceipt(null)
    setHold(false)
  }, [])

  const pristine = screen === 'start' && otherZone === null && lang === 'en'
  const { warning } = useIdle(hold || pristine ? null : IDLE_MS, () => {
    startOver()
    setLang('en')
  })

  const body = () => {
    if (screen === 'zone') {
      return (
        <ZoneScreen
          onPick={(picked) => {
            setOtherZone(picked.code === device.facility ? null : picked)
            setMinutes(null)
            setScreen('start')
          }}
          onCancel={() => setScreen('start')}
        />
      )
    }
    if (screen === 'start' || facility === null) {
      return (
        <StartScreen
          zone={otherZone ? { status: 'ready', facility: otherZone } : home}
          onStart={() => setScreen('plate')}
          onChangeZone={() => setScreen('zone')}
        />
      )
    }
    switch (screen) {
      case 'plate':
        return (
          <PlateScreen
            plate={plate}
            state={plateState}
            onChange={(p, s) => {
              setPlate(p)
              setPlateState(s)
            }}
            onNext={() => setScreen('time')}
            onBack={() => setScreen('start')}
          />
        )
      case 'time':
        return (
          <TimeScreen
            facility={facility}
            minutes={minutes}
            onChoose={setMinutes}
            onNext={() => setScreen('pay')}
            onBack={() => setScreen('plate')}
            onStartOver={startOver}
          />
        )
      case 'pay':
        return minutes === null ? null : (
          <PayScreen
            facility={facility}
            plate={plate}
            state={plateState}
            minutes={minutes}
            sell={sales.sell}
            onPaid={(r) => {
              setReceipt(r)
              setScreen('receipt')
            }}
            onBack={() => setScreen('time')}
            onStartOver={startOver}
            onHold={setHold}
            cardToken={cardsHere ? token : null}
          />
        )
      case 'receipt':
        return receipt === null ? null : <ReceiptScreen receipt={receipt} onDone={startOver} />
    }
  }

  return (
    <ScreenFrame
      subtitle={device.name}
      connection={connection}
      waiting={sales.waiting.length}
      timeZone={facility?.tariff.timeZone}
      footer={
        <TechnicianMenu
          device={device}
          verified={verified}
          connection={connection}
          sales={sales}
          timeZone={facility?.tariff.timeZone}
          signOut={signOut}
        />
      }
    >
      {body()}
      <IdleWarning seconds={warning} />
    </ScreenFrame>
  )
}
