import { router, IdParam } from '../http/route.ts'
import { assertCustomerAccess } from '../http/auth.ts'
import { customerBalances } from './balances.ts'
import { customerStatement, statementCsv } from './statement.ts'
import { Balances, Statement, StatementQuery } from './schemas.ts'

export const ledger = router('/customers', 'Customers')

ledger.route(
  {
    method: 'get',
    path: '/:id/statement',
    summary: "A customer's statement: utility and parking lines with a running balance",
    description:
      'Dates are days in the city time zone, both inclusive. Send Accept: text/csv for a ' +
      'spreadsheet. Drivers see only their own statement; any other id answers 404.',
    access: ['driver', 'supervisor', 'finance', 'admin'],
    params: IdParam,
    query: StatementQuery,
    responses: {
      200: { description: 'The statement', schema: Statement, alsoAs: ['text/csv'] },
      400: { description: 'A date is malformed, or from is after to' },
      404: { description: 'No such customer (or not yours)' },
    },
  },
  async (c, { params, query, principal }) => {
    assertCustomerAccess(principal, params.id)
    const { sql, config } = c.get('deps')
    const statement = await customerStatement(sql, params.id, {
      from: query.from,
      to: query.to,
      timeZone: config.CITY_TIME_ZONE,
    })
    if (/\btext\/csv\b/i.test(c.req.header('accept') ?? '')) {
      const period = `${query.from ? `-${query.from}` : ''}${query.to ? `-to-${query.to}` : ''}`
      const name = `statement-${params.id}${period}.csv`
      return c.body(statementCsv(statement, config.CITY_TIME_ZONE), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}"`,
      })
    }
    return c.json(statement satisfies Statement)
  },
)

ledger.route(
  {
    method: 'get',
    path: '/:id/balances',
    summary: 'What a customer owes, per fund and in total',
    description: 'Their own receivables and those of the utility accounts they hold, in cents.',
    access: ['driver', 'supervisor', 'finance', 'admin'],
    params: IdParam,
    responses: {
      200: { description: 'Balances in cents', schema: Balances },
      404: { description: 'No such customer (or not yours)' },
    },
  },
  async (c, { params, principal }) => {
    assertCustomerAccess(principal, params.id)
    return c.json((await customerBalances(c.get('deps').sql, params.id)) satisfies Balances)
  },
)
