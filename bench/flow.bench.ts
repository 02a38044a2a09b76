// How much the library itself adds between "the backend says completed" and the app hearing it,
// and how many requests a typical consent costs with the default schedule.
import { bench, describe } from 'vitest'
import { SetupFlow } from '../src/core/index.js'
import { delayFor, DEFAULT_POLL_SCHEDULE } from '../src/core/engine/schedule.js'
import { createMockBackend } from '../src/testing/index.js'

const popup = () => ({ closed: false, focus() {}, close() {}, location: { replace() {} } })

describe('flow overhead (in-process backend, no latency)', () => {
  bench('start → created → completed via check() → onConnected', async () => {
    const backend = createMockBackend()
    let done: () => void = () => {}
    const connected = new Promise<void>(resolve => (done = resolve))
    const flow = new SetupFlow({
      backend,
      providerId: 'slack',
      environment: { openWindow: popup, onWake: () => () => {}, locationHref: () => 'https://app.example.com/' },
      onConnected: () => done(),
    })
    flow.start()
    while (flow.getState().status !== 'pending') await Promise.resolve()
    backend.complete()
    flow.check()
    await connected
  })
})

describe('default polling schedule', () => {
  bench('requests during a 30 s consent (no jitter)', () => {
    let elapsed = 0
    let polls = 0
    while (elapsed < 30_000) elapsed += delayFor(DEFAULT_POLL_SCHEDULE, polls++, 0.5)
    if (polls !== 9) throw new Error(`expected 9 polls in 30 s, got ${polls}`)
  })
})
