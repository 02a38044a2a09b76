// @vitest-environment node
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { createMetorialSimulation } from '../../src/simulation/index.js'

const ROOT = join(import.meta.dirname, '..', '..')

describe('the simulation inside an app’s own process', () => {
  it('answers the browser’s own /favicon.ico request without a 401', async () => {
    const sim = createMetorialSimulation()
    const response = await sim.handle(new Request('http://127.0.0.1:4010/favicon.ico'))
    expect(response.status).toBe(204)
  })

  it('does not keep Node alive: a process that started it and used it exits on its own', async () => {
    // As an app server's shutdown leaves it: the simulation listening, a request served, nothing else.
    const script = `
      import { startMetorialSimulation } from './src/simulation/index.ts'
      const sim = await startMetorialSimulation({ port: 0 })
      const response = await fetch(sim.url + '/favicon.ico')
      console.log('served', response.status)
    `
    const started = Date.now()
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, timeout: 20_000 })
    expect(stdout.trim()).toBe('served 204')
    expect(Date.now() - started).toBeLessThan(15_000)
  }, 30_000)
})
