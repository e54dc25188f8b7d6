import { createContext } from 'preact'
import { useContext } from 'preact/hooks'

export type Lang = 'en' | 'es'

/** BCP 47 locales for Intl: US English and US Spanish, dollars either way. */
export const LOCALES: Record<Lang, string> = { en: 'en-US', es: 'es-US' }

const en = {
  starting: 'Starting the pay station…',
  payStation: 'Pay station',
  switchLanguage: 'Español',
  switchLanguageLang: 'es',
  helpLine: 'City Department of Customer Services · Help: call 311',
  connectionPrefix: 'Connection: ',
  connection: {
    checking: 'Checking connection',
    online: 'Online',
    degraded: 'Service trouble',
    offline: 'Offline',
  },
  waiting: (n: number) => (n === 1 ? '1 payment waiting to send' : `${n} payments waiting to send`),
  offlineBanner:
    'This pay station is offline. Cash payments are saved here and sent when it reconnects. Card payment is not available.',

  // technician setup
  setupEyebrow: 'Technician setup',
  setupTitle: 'Set up this pay station',
  setupLede:
    'An administrator registers the kiosk on the Devices page of Curbline and receives its device token once. Paste that token here to bring the pay station into service.',
  setupTokenLabel: 'Device token',
  setupSubmit: 'Connect this kiosk',
  setupChecking: 'Checking the token…',
  setupPasteFirst: 'Paste the device token from the Devices page first.',
  setupUnauthorized: (detail: string) =>
    `This kiosk’s token was not accepted: ${detail}. A technician needs to enter a valid token.`,
  setupNetwork:
    'The pay station cannot reach the city’s servers. Check the network, then try again.',
  setupOther: 'The token could not be checked. Try again.',
  setupNotKiosk: (kind: string) => `That token belongs to a ${kind}, not a kiosk.`,

  // technician menu
  techOpen: 'Technician',
  techTitle: 'Technician menu',
  techKiosk: 'Kiosk',
  techDevice: 'Device number',
  techZone: 'Zone',
  techToken: 'Token',
  techTokenAccepted: 'Accepted by the server',
  techTokenUnchecked: 'Not yet re-checked (offline at start)',
  techConnection: 'Connection',
  techCheckedAt: (time: string) => `checked ${time}`,
  techQueueTitle: 'Cash sales waiting to send',
  techQueueEmpty: 'None: every sale has reached the server.',
  techSendNow: 'Send now',
  techSending: 'Sending…',
  techFailedTitle: 'Sales the server refused',
  techFailedNote:
    'The cash for these is in the box. Check the reason, then send again, or report them to Finance with their sale id.',
  techFailedEmpty: 'None.',
  techOtherDevice: (id: number) => `Recorded by device ${id}: send it from that device’s token.`,
  techRetry: 'Send again',
  techSaleId: 'Sale id',
  techSoldAt: 'Sold',
  techReason: 'Reason',
  techSignOut: 'Sign out device',
  techSignOutConfirm:
    'The pay station stops taking payments until a technician enters a device token again.',
  techSignOutUnsent: (n: number) =>
    `${n} cash ${n === 1 ? 'sale has' : 'sales have'} not reached the server yet and will be sent only under this device’s token.`,
  techSignOutYes: 'Yes, sign out this device',
  techKeep: 'Keep it signed in',
  techClose: 'Close',
  techConfirmGroup: 'Confirm sign out',

  // steps
  stepOf: (n: number, total: number, name: string) => `Step ${n} of ${total}: ${name}`,
  stepPlate: 'Plate',
  stepTime: 'Time',
  stepPay: 'Pay',
  stepReceipt: 'Receipt',
  back: 'Back',
  startOver: 'Start over',
  next: 'Next',

  // start
  startTitle: 'Pay for parking',
  startLede:
    'Pay by plate: enforcement checks your plate, so there is nothing to display on your dashboard.',
  youAreIn: 'You are parking in',
  zoneLabel: (code: string) => (/^\d+$/.test(code) ? `Zone ${code}` : code),
  changeZone: 'Different zone',
  start: 'Start',
  zoneNone: 'Enter the zone number from the sign where you parked.',
  zoneLoading: 'Loading this zone’s prices…',
  zoneUnavailable:
    'This pay station has no price list for its zone yet and cannot reach the city’s servers. Please pay another way or call 311.',
  zoneMaxStay: (d: string) => `Time limit ${d}`,
  zoneFree: 'Free at this time',
  zoneHour: (price: string) => `${price} for the first hour from now`,

  // zone picker
  zoneTitle: 'Enter the zone number',
  zoneHint: 'The zone number is on the green sign by your space.',
  zoneInput: 'Zone number',
  zoneFind: 'Use this zone',
  zoneFinding: 'Finding the zone…',
  zoneCancel: 'Cancel',
  zoneDigits: 'Zone number keypad',
  zoneEmpty: 'Enter a zone number first.',
  zoneNotFound: (code: string) => `There is no zone ${code}. Check the sign and try again.`,
  zoneGated: (name: string) => `${name} has gates: take a ticket at the entry and pay at the exit.`,
  zoneClosed: (name: string) => `${name} is closed.`,
  zoneClosedNow: (name: string, opens: string | null) =>
    `${name} is closed now${opens ? `; it opens ${opens}` : ''}.`,
  zoneOffline: (code: string) =>
    `This pay station is offline and has no prices for zone ${code}. Pay at a pay station in that zone.`,
  zoneInvalid: 'A zone number is digits only, e.g. 104.',

  // plate
  plateTitle: 'Enter your license plate',
  plateLabel: 'Plate number',
  plateHint: 'Letters and digits only: leave out spaces and dashes.',
  plateKeyboard: 'Plate keyboard',
  plateDelete: 'Delete',
  plateClear: 'Clear',
  plateEmpty: 'Enter your plate number.',
  plateInvalid: 'A plate has 1 to 8 letters (A–Z) and digits.',
  plateTooLong: 'A plate has at most 8 letters and digits.',
  plateChars: 'Use only the letters A–Z and the digits 0–9.',
  stateLabel: 'State',
  stateChange: 'Change state',
  stateTitle: 'Choose the state on your plate',
  stateNearby: 'Nearby',
  stateAll: 'All states and territories',
  stateDone: 'Use this state',

  // time
  timeTitle: 'How long will you park?',
  timeChoices: 'Parking time',
  timeMax: (d: string) => `Time limit here: ${d}.`,
  timeNoMax: 'No time limit here; a day costs at most the daily maximum.',
  timeFree: 'Free',
  timeNotSold: 'Not available',
  timeUntil: (time: string) => `until ${time}`,
  timeChoose: 'Choose how long to see the price.',
  timeSummary: (duration: string, price: string) => `${duration}: ${price}.`,
  timeSummaryFree: (duration: string) => `${duration}: free at this time.`,
  timeEnds: (time: string, day: string) => `Parking until ${time}, ${day}`,
  toPayment: 'Continue to payment',

  // pay
  payTitle: 'Pay',
  summaryZone: 'Zone',
  summaryPlate: 'Plate',
  summaryTime: 'Time',
  summaryUntil: 'Until',
  amountDue: 'Amount due',
  methods: 'How would you like to pay?',
  methodCash: 'Cash',
  methodCashNote: 'Notes and coins. Change is given.',
  methodCard: 'Card',
  methodCardNote: 'Tap, insert or swipe on the card reader.',
  cardStarting: 'Sending the amount to the card reader…',
  cardPresent: 'Present your card on the reader',
  cardPresentNote: 'Follow the reader’s screen. Your parking starts when the card is accepted.',
  cardCancel: 'Cancel card payment',
  cardCancelled: 'Card payment cancelled: nothing was charged.',
  cardDeclined: (reason: string) => `The card was not accepted: ${reason} Try another card, or pay with cash.`,
  cardRefused: (reason: string) => `Card payment is not possible: ${reason}`,
  acceptorTitle: 'Cash acceptor',
  acceptorNote:
    'Simulated input: each button stands for a note or coin fed into the machine’s cash acceptor.',
  note: (amount: string) => `${amount} note`,
  coin: (amount: string) => `${amount} coin`,
  inserted: 'Inserted',
  stillToPay: 'Still to pay',
  change: 'Change',
  insertMore: (amount: string) => `Insert ${amount} more.`,
  processing: 'Processing your payment…',
  paidEnough: (change: string) => `Paid. Your change: ${change}.`,
  cancelPayment: 'Cancel and return my cash',
  cashReturned: (amount: string) => `${amount} returned. Take your cash below.`,
  freeNow: 'Parking is free at this time: nothing to pay.',
  getReceipt: 'Get my receipt',
  priceChanged: (price: string) =>
    `The city’s server priced this at ${price} (this plate may already have time here, so it is an extension). The amount due has been updated.`,
  refused: (reason: string) => `The payment could not be completed: ${reason}`,
  refusedReturned: (amount: string) => `Your cash (${amount}) has been returned.`,
  refusedStayTooLong:
    'This plate already has time here, and adding this would pass the time limit.',
  refusedClosed: 'This zone is closed right now.',
  refusedGated: 'This facility has gates: pay at its exit.',
  refusedToken: 'This pay station is not signed in. Please call 311.',

  // receipt
  receiptTitle: 'Paid. Thank you!',
  receiptTitleOffline: 'Payment saved. Thank you!',
  receiptUntil: 'Your parking is paid until',
  receiptExtended: 'This plate already had time here: your time was added to it.',
  receiptZone: 'Zone',
  receiptPlate: 'Plate',
  receiptPaid: 'Paid (cash)',
  receiptChange: 'Change given',
  receiptNumber: 'Receipt',
  receiptScan: 'Scan for your receipt on your phone. You can add time from it too.',
  receiptQr: 'QR code: the web address of your receipt',
  receiptScanLater:
    'Scan for your receipt on your phone: it appears there once this pay station is back online.',
  receiptOffline:
    'This pay station is offline. Your payment is saved here and sent to the city’s servers as soon as it reconnects; enforcement sees it from then on.',
  receiptRef: 'Sale reference',
  done: 'Done',

  // idle
  idleTitle: 'Are you still there?',
  idleText: (seconds: number) => `This screen returns to the start in ${seconds} seconds.`,
  idleMore: 'I need more time',
}

export type Messages = typeof en

const es: Messages = {
  starting: 'Iniciando la estación de pago…',
  payStation: 'Estación de pago',
  switchLanguage: 'English',
  switchLanguageLang: 'en',
  helpLine: 'Departamento Municipal de Servicio al Cliente · Ayuda: llame al 311',
  connectionPrefix: 'Conexión: ',
  connection: {
    checking: 'Comprobando la conexión',
    online: 'En línea',
    degraded: 'Problemas del servicio',
    offline: 'Sin conexión',
  },
  waiting: (n: number) => (n === 1 ? '1 pago por enviar' : `${n} pagos por enviar`),
  offlineBanner:
    'Esta estación de pago no tiene conexión. Los pagos en efectivo se guardan aquí y se envían al volver la conexión. No se aceptan tarjetas.',

  setupEyebrow: 'Configuración técnica',
  setupTitle: 'Configurar esta estación de pago',
  setupLede:
    'Un administrador registra el quiosco en la página Dispositivos de Curbline y recibe su token una sola vez. Pegue ese token aquí para poner la estación en servicio.',
  setupTokenLabel: 'Token del dispositivo',
  setupSubmit: 'Conectar este quiosco',
  setupChecking: 'Comprobando el token…',
  setupPasteFirst: 'Primero pegue el token del dispositivo de la página Dispositivos.',
  setupUnauthorized: (detail: string) =>
    `No se aceptó el token de este quiosco: ${detail}. Un técnico debe ingresar un token válido.`,
  setupNetwork:
    'La estación de pago no puede comunicarse con los servidores de la ciudad. Revise la red e inténtelo de nuevo.',
  setupOther: 'No se pudo comprobar el token. Inténtelo de nuevo.',
  setupNotKiosk: (kind: string) =>
    `Ese token pertenece a un dispositivo «${kind}», no a un quiosco.`,

  techOpen: 'Técnico',
  techTitle: 'Menú técnico',
  techKiosk: 'Quiosco',
  techDevice: 'Número de dispositivo',
  techZone: 'Zona',
  techToken: 'Token',
  techTokenAccepted: 'Aceptado por el servidor',
  techTokenUnchecked: 'Sin volver a comprobar (sin conexión al iniciar)',
  techConnection: 'Conexión',
  techCheckedAt: (time: string) => `comprobada: ${time}`,
  techQueueTitle: 'Ventas en efectivo por enviar',
  techQueueEmpty: 'Ninguna: todas las ventas llegaron al servidor.',
  techSendNow: 'Enviar ahora',
  techSending: 'Enviando…',
  techFailedTitle: 'Ventas rechazadas por el servidor',
  techFailedNote:
    'El efectivo de estas ventas está en la caja. Revise el motivo y vuelva a enviarlas, o infórmelas a Finanzas con su identificador.',
  techFailedEmpty: 'Ninguna.',
  techOtherDevice: (id: number) =>
    `Registrada por el dispositivo ${id}: envíela con el token de ese dispositivo.`,
  techRetry: 'Enviar de nuevo',
  techSaleId: 'Identificador de venta',
  techSoldAt: 'Vendida',
  techReason: 'Motivo',
  techSignOut: 'Cerrar la sesión del dispositivo',
  techSignOutConfirm:
    'La estación de pago deja de aceptar pagos hasta que un técnico vuelva a ingresar un token.',
  techSignOutUnsent: (n: number) =>
    `${n} ${n === 1 ? 'venta en efectivo aún no ha llegado' : 'ventas en efectivo aún no han llegado'} al servidor y solo se enviarán con el token de este dispositivo.`,
  techSignOutYes: 'Sí, cerrar la sesión',
  techKeep: 'Mantener la sesión',
  techClose: 'Cerrar',
  techConfirmGroup: 'Confirmar el cierre de sesión',

  stepOf: (n: number, total: number, name: string) => `Paso ${n} de ${total}: ${name}`,
  stepPlate: 'Placa',
  stepTime: 'Tiempo',
  stepPay: 'Pago',
  stepReceipt: 'Recibo',
  back: 'Atrás',
  startOver: 'Empezar de nuevo',
  next: 'Siguiente',

  startTitle: 'Pagar el estacionamiento',
  startLede:
    'Pague por placa: el control revisa su placa, así que no tiene que dejar nada en el tablero.',
  youAreIn: 'Está estacionado en',
  zoneLabel: (code: string) => (/^\d+$/.test(code) ? `Zona ${code}` : code),
  changeZone: 'Otra zona',
  start: 'Comenzar',
  zoneNone: 'Ingrese el número de zona del letrero donde se estacionó.',
  zoneLoading: 'Cargando las tarifas de esta zona…',
  zoneUnavailable:
    'Esta estación de pago aún no tiene las tarifas de su zona y no puede comunicarse con los servidores de la ciudad. Pague de otra forma o llame al 311.',
  zoneMaxStay: (d: string) => `Límite de ${d}`,
  zoneFree: 'Gratis en este momento',
  zoneHour: (price: string) => `${price} la primera hora desde ahora`,

  zoneTitle: 'Ingrese el número de zona',
  zoneHint: 'El número de zona está en el letrero verde junto a su espacio.',
  zoneInput: 'Número de zona',
  zoneFind: 'Usar esta zona',
  zoneFinding: 'Buscando la zona…',
  zoneCancel: 'Cancelar',
  zoneDigits: 'Teclado del número de zona',
  zoneEmpty: 'Primero ingrese un número de zona.',
  zoneNotFound: (code: string) =>
    `No existe la zona ${code}. Revise el letrero e inténtelo de nuevo.`,
  zoneGated: (name: string) =>
    `${name} tiene barreras: tome un boleto en la entrada y pague en la salida.`,
  zoneClosed: (name: string) => `${name} está cerrado.`,
  zoneClosedNow: (name: string, opens: string | null) =>
    `${name} está cerrado ahora${opens ? `; abre ${opens}` : ''}.`,
  zoneOffline: (code: string) =>
    `Esta estación de pago no tiene conexión ni las tarifas de la zona ${code}. Pague en una estación de esa zona.`,
  zoneInvalid: 'Un número de zona lleva solo dígitos, por ejemplo 104.',

  plateTitle: 'Ingrese su placa',
  plateLabel: 'Número de placa',
  plateHint: 'Solo letras y dígitos: omita los espacios y guiones.',
  plateKeyboard: 'Teclado de la placa',
  plateDelete: 'Borrar',
  plateClear: 'Vaciar',
  plateEmpty: 'Ingrese el número de su placa.',
  plateInvalid: 'Una placa tiene de 1 a 8 letras (A–Z) y dígitos.',
  plateTooLong: 'Una placa tiene como máximo 8 letras y dígitos.',
  plateChars: 'Use solo las letras A–Z y los dígitos 0–9.',
  stateLabel: 'Estado',
  stateChange: 'Cambiar el estado',
  stateTitle: 'Elija el estado de su placa',
  stateNearby: 'Cercanos',
  stateAll: 'Todos los estados y territorios',
  stateDone: 'Usar este estado',

  timeTitle: '¿Cuánto tiempo se estacionará?',
  timeChoices: 'Tiempo de estacionamiento',
  timeMax: (d: string) => `Límite de tiempo aquí: ${d}.`,
  timeNoMax: 'Sin límite de tiempo aquí; un día cuesta como máximo la tarifa diaria máxima.',
  timeFree: 'Gratis',
  timeNotSold: 'No disponible',
  timeUntil: (time: string) => `hasta ${time}`,
  timeChoose: 'Elija cuánto tiempo para ver el precio.',
  timeSummary: (duration: string, price: string) => `${duration}: ${price}.`,
  timeSummaryFree: (duration: string) => `${duration}: gratis en este momento.`,
  timeEnds: (time: string, day: string) => `Termina: ${time}, ${day}`,
  toPayment: 'Continuar al pago',

  payTitle: 'Pagar',
  summaryZone: 'Zona',
  summaryPlate: 'Placa',
  summaryTime: 'Tiempo',
  summaryUntil: 'Hasta',
  amountDue: 'Importe a pagar',
  methods: '¿Cómo desea pagar?',
  methodCash: 'Efectivo',
  methodCashNote: 'Billetes y monedas. Se da cambio.',
  methodCard: 'Tarjeta',
  methodCardNote: 'Acerque, inserte o deslice la tarjeta en el lector.',
  cardStarting: 'Enviando el importe al lector de tarjetas…',
  cardPresent: 'Presente su tarjeta en el lector',
  cardPresentNote: 'Siga la pantalla del lector. Su estacionamiento empieza cuando se acepta la tarjeta.',
  cardCancel: 'Cancelar el pago con tarjeta',
  cardCancelled: 'Pago con tarjeta cancelado: no se cobró nada.',
  cardDeclined: (reason: string) => `La tarjeta no fue aceptada: ${reason} Pruebe otra tarjeta o pague en efectivo.`,
  cardRefused: (reason: string) => `No es posible pagar con tarjeta: ${reason}`,
  acceptorTitle: 'Aceptador de efectivo',
  acceptorNote:
    'Entrada simulada: cada botón representa un billete o una moneda introducidos en el aceptador de efectivo de la máquina.',
  note: (amount: string) => `Billete de ${amount}`,
  coin: (amount: string) => `Moneda de ${amount}`,
  inserted: 'Introducido',
  stillToPay: 'Falta pagar',
  change: 'Cambio',
  insertMore: (amount: string) => `Introduzca ${amount} más.`,
  processing: 'Procesando su pago…',
  paidEnough: (change: string) => `Pagado. Su cambio: ${change}.`,
  cancelPayment: 'Cancelar y devolver mi efectivo',
  cashReturned: (amount: string) => `Se devolvieron ${amount}. Retire su efectivo abajo.`,
  freeNow: 'El estacionamiento es gratis en este momento: no hay nada que pagar.',
  getReceipt: 'Obtener mi recibo',
  priceChanged: (price: string) =>
    `El servidor de la ciudad calculó ${price} (puede que esta placa ya tenga tiempo aquí, así que es una extensión). Se actualizó el importe a pagar.`,
  refused: (reason: string) => `No se pudo completar el pago: ${reason}`,
  refusedReturned: (amount: string) => `Se le devolvió su efectivo (${amount}).`,
  refusedStayTooLong: 'Esta placa ya tiene tiempo aquí y con esto superaría el límite de tiempo.',
  refusedClosed: 'Esta zona está cerrada en este momento.',
  refusedGated: 'Este estacionamiento tiene barreras: pague en la salida.',
  refusedToken: 'Esta estación de pago no tiene la sesión iniciada. Llame al 311.',

  receiptTitle: '¡Pagado! Gracias.',
  receiptTitleOffline: 'Pago guardado. ¡Gracias!',
  receiptUntil: 'Su estacionamiento está pagado hasta',
  receiptExtended: 'Esta placa ya tenía tiempo aquí: se le sumó su tiempo.',
  receiptZone: 'Zona',
  receiptPlate: 'Placa',
  receiptPaid: 'Pagado (efectivo)',
  receiptChange: 'Cambio entregado',
  receiptNumber: 'Recibo',
  receiptScan: 'Escanee para ver su recibo en el teléfono. También puede añadir tiempo desde allí.',
  receiptQr: 'Código QR: la dirección web de su recibo',
  receiptScanLater:
    'Escanee para ver su recibo en el teléfono: aparecerá allí cuando esta estación de pago vuelva a tener conexión.',
  receiptOffline:
    'Esta estación de pago no tiene conexión. Su pago se guardó aquí y se enviará a los servidores de la ciudad en cuanto vuelva la conexión; desde entonces el control lo verá.',
  receiptRef: 'Referencia de la venta',
  done: 'Listo',

  idleTitle: '¿Sigue ahí?',
  idleText: (seconds: number) => `Esta pantalla vuelve al inicio en ${seconds} segundos.`,
  idleMore: 'Necesito más tiempo',
}

export const MESSAGES: Record<Lang, Messages> = { en, es }

/** Money, times, dates and durations in the chosen language, through Intl. */
export interface Formats {
  money: (cents: number) => string
  /** Whole dollars without cents ($5), as notes and coins are named. */
  cash: (cents: number) => string
  /** A time of day in the facility's time zone, e.g. 3:45 PM. */
  time: (at: Date, timeZone: string) => string
  /** A day in the facility's time zone, e.g. Thursday, November 26. */
  day: (at: Date, timeZone: string) => string
  /** A short weekday in the facility's time zone, e.g. Fri. */
  weekday: (at: Date, timeZone: string) => string
  /** The status bar's clock, in the zone's time zone when known (the city's, not the device's). */
  clockTime: (at: Date, timeZone?: string) => string
  clockDate: (at: Date, timeZone?: string) => string
  dateTime: (at: Date, timeZone?: string) => string
  /** 15 minutes, 1 hour, 2 hours 30 minutes. */
  duration: (minutes: number) => string
}

export function formatsFor(lang: Lang): Formats {
  const locale = LOCALES[lang]
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD' })
  const dollars = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 0,
  })
  const hours = new Intl.NumberFormat(locale, { style: 'unit', unit: 'hour', unitDisplay: 'long' })
  const mins = new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'long' })
  const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const list = new Intl.ListFormat(locale, { style: 'long', type: 'unit' })
  const zoned = new Map<
    string,
    Record<'time' | 'day' | 'weekday' | 'dateTime', Intl.DateTimeFormat>
  >()
  const inZone = (timeZone: string) => {
    let f = zoned.get(timeZone)
    if (!f) {
      f = {
        time: new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone }),
        day: new Intl.DateTimeFormat(locale, {
          weekday: 'long',
          month: 'long',
          day: 'numeric',
          timeZone,
        }),
        weekday: new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone }),
        dateTime: new Intl.DateTimeFormat(locale, {
          dateStyle: 'medium',
          timeStyle: 'short',
          timeZone,
        }),
      }
      zoned.set(timeZone, f)
    }
    return f
  }
  return {
    money: (cents) => money.format(cents / 100),
    cash: (cents) => (cents % 100 === 0 ? dollars : money).format(cents / 100),
    time: (at, timeZone) => inZone(timeZone).time.format(at),
    day: (at, timeZone) => inZone(timeZone).day.format(at),
    weekday: (at, timeZone) => inZone(timeZone).weekday.format(at),
    clockTime: (at, timeZone) => inZone(timeZone ?? localZone).time.format(at),
    clockDate: (at, timeZone) => inZone(timeZone ?? localZone).day.format(at),
    dateTime: (at, timeZone) => inZone(timeZone ?? localZone).dateTime.format(at),
    duration: (minutes) => {
      const h = Math.floor(minutes / 60)
      const m = minutes % 60
      const parts = [h > 0 ? hours.format(h) : null, m > 0 || h === 0 ? mins.format(m) : null]
      return list.format(parts.filter((p): p is string => p !== null))
    },
  }
}

export interface I18n {
  lang: Lang
  t: Messages
  f: Formats
  setLang: (lang: Lang) => void
}

export const I18nContext = createContext<I18n>({
  lang: 'en',
  t: en,
  f: formatsFor('en'),
  setLang: () => {},
})

export function useI18n(): I18n {
  return useContext(I18nContext)
}
