import { describe, expect, it } from 'vitest'
import { ConnectError } from '../../src/core/errors.js'
import { initialModel } from '../../src/core/engine/model.js'
import type { FlowEvent, FlowModel } from '../../src/core/engine/model.js'
import { reduce } from '../../src/core/engine/reducer.js'
import { at, check, created, opened, pendingFlow, play, popupClosed, read, start, timer } from './reducer-harness.js'
import type { Played } from './reducer-harness.js'

/** What every reduction shares: the model given is never changed, and subscribers hear of a status change once, where it happened. */

/** A flow that goes through most rules: pending, an error watched, a second run, a late success, a reset. */
const story: Played = [
  ...pendingFlow,
  [500, ...popupClosed()],
  [600, { type: 'read_failed', runId: 1, error: new ConnectError('http', 'gone', { status: 404 }) }],
  [1000, start],
  [1000, opened(2)],
  [1010, created('pending', { id: 'pas_2' }, 2)],
  [1500, check('callback', 1)],
  [2000, { type: 'pause' }],
  [3000, { type: 'unpause' }],
  [3100, read('completed', {}, 1)],
  [4000, timer('poll', 2)],
  [5000, { type: 'reset' }],
]

describe('step: one reduction', () => {
  it('never changes the model it is given, its runs included', () => {
    let model: FlowModel = initialModel('slack')
    for (const [now, event, over] of story) {
      const before = JSON.stringify(model)
      const next = reduce(model, event, at(now, over)).model
      expect(JSON.stringify(model)).toBe(before)
      model = next
    }
  })

  it('the runs of the next model are its own: changing the previous one leaves them be', () => {
    const { model } = play(pendingFlow)
    const next = reduce(model, check('manual'), at(20)).model
    expect(next.run).not.toBe(model.run)
    const erred = play([[30, { type: 'read_failed', runId: 1, error: new ConnectError('http', 'gone', { status: 404 }) }], [40, start]], next).model
    const again = reduce(erred, check('callback', 1), at(50)).model
    expect(again.watched[0]).not.toBe(erred.watched[0])
    expect(erred.watched[0]?.reading).toBe(false)
    expect(again.watched[0]?.reading).toBe(true)
  })

  it('subscribers hear of each status change once, where it happened, and of nothing else', () => {
    let model: FlowModel = initialModel('slack')
    for (const [now, event, over] of story) {
      const { model: next, effects } = reduce(model, event, at(now, over))
      const changes = effects.filter(effect => effect.type === 'status_changed')
      expect(changes).toHaveLength(next.view.status === model.view.status ? 0 : 1)
      model = next
    }
  })

  it('the status change comes after what led to it and before what follows from it', () => {
    // A read that completes: connected only once the view says completed.
    const done = play([...pendingFlow, [1000, check('manual')], [1100, read('completed')]]).types
    expect(done.indexOf('status_changed')).toBe(0)
    expect(done.indexOf('connected')).toBeGreaterThan(done.indexOf('status_changed'))
    // Giving up while creating: the timeout is told first, then the status.
    const timedOut = play([[0, start], [0, opened()], [60_000, timer('deadline')]]).types
    expect(timedOut.slice(0, 2)).toEqual(['emit:timeout', 'status_changed'])
  })

  it('an event for a run the flow does not know is nobody\u2019s, even with an earlier run watched', () => {
    const watched = play([...pendingFlow, [1000, check('manual')], [1010, { type: 'read_failed', runId: 1, error: new ConnectError('http', 'gone', { status: 404 }) }], [2000, start]]).model
    expect(watched.watched.map(run => run.id)).toEqual([1])
    const { model, effects } = play([[3000, read('completed', {}, 99)]], watched)
    expect(effects).toEqual([])
    expect(model.view.status).toBe('creating')
  })

  it('timers left by an earlier, watched run do not act for the run on screen', () => {
    // Run 1's popup closes (grace armed), then a 404 ends it in error before the grace is over.
    const erred = play([...pendingFlow, [1000, ...popupClosed()], [1100, { type: 'read_failed', runId: 1, error: new ConnectError('http', 'gone', { status: 404 }) }]]).model
    const next = play([[1500, start], [1500, opened(2)], [1600, created('pending', { id: 'pas_2' }, 2)]], erred).model
    expect(next.view.status).toBe('pending')
    expect(play([[3000, timer('grace', 1)]], next).effects).toEqual([])
    expect(play([[3000, timer('last_look', 1)]], next).effects).toEqual([])
  })

  it('an event without a run id is about the run on screen', () => {
    const { model } = play(pendingFlow)
    const event: FlowEvent = { type: 'check', reason: 'manual' }
    expect(play([[20, event]], model).effects).toContainEqual({ type: 'read', runId: 1, sessionId: 'pas_1' })
  })
})
