import type { Db } from '../../db/connect.ts'

export interface AccountSpec {
  code: string
  name: string
  type: 'asset' | 'liability' | 'revenue' | 'expense' | 'equity'
  fund: 'parking' | 'general'
}

/** Opens a house account (a facility's revenue, a kiosk's cash box) unless it is open already. */
export async function openAccount(sql: Db, account: AccountSpec): Promise<void> {
  await sql`
    insert into ledger.account (code, name, type, fund)
    values (${account.code}, ${account.name}, ${account.type}, ${account.fund})
    on conflict (code) do nothing`
}

/** The parking house accounts: revenue per facility, the cash box of each kiosk and gate pay machine. */
export const parkingAccount = {
  revenue: (facilityCode: string) => `revenue:parking:${facilityCode}`,
  kioskCash: (deviceId: number) => `cash:kiosk:${deviceId}`,
  gateCash: (deviceId: number) => `cash:gate:${deviceId}`,
}
