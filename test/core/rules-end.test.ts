import { describe, expect, it } from 'vitest'
import { ConnectError } from '../../src/core/errors.js'
import { initialModel } from '../../src/core/engine/model.js'
import type { FlowEvent } from '../../src/core/engine/model.js'
import { check, created, emitted, opened, pendingFlow, play, popupClosed, read, redirectSettings, start, timer, timers, untimed, untimedFlow } from './reducer-harness.js'

/** How runs end, through the reducer: final statuses, the slow watch, cancel / reset, pause / unpause. */

const gone: FlowEvent = { type: 'read_failed', runId: 1, error: new ConnectError('http', 'gone', { status: 404 }) }
/** Run 1 ended in `error` from pending (a 404): watched for a late success, still on screen. */
const erred = () => play([...pendingFlow, [1000, check('manual')], [1010, gone]])
/** Then a second click: run 2 pending with session `pas_2`, run 1 watched behind it. */
const restarted = () => play([[2000, start], [2000, opened(2)], [2010, created('pending', { id: 'pas_2' }, 2)]], erred().model)

describe('rules-end: a final status', () => {
  it('an error from pending starts the slow watch: last look cleared, deadline at the session end, next check after the watch interval', () => {
    const { model, effects } = erred()
    expect(model.view).toMatchObject({ status: 'error', error: { status: 404 } })
    expect(effects).toEqual([
      { type: 'status_changed' },
      { type: 'clear_record', providerId: 'slack', sessionId: 'pas_1' },
      { type: 'clear_timer', runId: 1, name: 'last_look' },
      // The session expires at 10 min after its creation (10 ms), plus the margin.
      { type: 'set_timer', runId: 1, name: 'deadline', ms: 600_010 + 1000 - 1010 },
      { type: 'set_timer', runId: 1, name: 'poll', ms: 15_000 },
      { type: 'failed', error: expect.objectContaining({ code: 'http', status: 404 }) },
    ])
  })

  it('a timeout that ends the wait while a read is out watches without a second poll: the read in flight answers', () => {
    const looking = play([...pendingFlow, [59_000, check('manual')], [60_000, timer('deadline')]])
    expect(looking.effects).toEqual([{ type: 'set_timer', runId: 1, name: 'last_look', ms: 5000 - 1000 }])
    const ended = play([[64_000, timer('last_look')]], looking.model)
    expect(ended.model.view).toMatchObject({ status: 'error', error: { code: 'timeout' } })
    expect(ended.model.run?.watching).toBe(true)
    expect(timers(ended.effects, 'poll')).toEqual([])
    expect(ended.types).toEqual(['clear_timer', 'emit:timeout', 'status_changed', 'clear_record', 'clear_timer', 'set_timer', 'failed'])
    const answered = play([[64_500, read('pending')]], ended.model)
    expect(answered.effects).toEqual([{ type: 'set_timer', runId: 1, name: 'poll', ms: 15_000 }])
  })

  it('expired, failed and archived end for good: popup closed, run released, onError told, no watch', () => {
    for (const status of ['expired', 'failed', 'deleted'] as const) {
      const { model, effects } = play([...pendingFlow, [1000, check('manual')], [1100, read(status)]])
      expect(model.view.status).toBe(status === 'deleted' ? 'archived' : status)
      expect(model.run).toBeNull()
      expect(effects).toEqual([
        { type: 'status_changed' },
        { type: 'clear_record', providerId: 'slack', sessionId: 'pas_1' },
        { type: 'close_popup', runId: 1 },
        { type: 'release', runId: 1 },
        { type: 'failed', error: expect.objectContaining({ code: status === 'deleted' ? 'session_archived' : `session_${status}` }) },
      ])
    }
  })

  it('an error while creating ends for good: no session, so no record to clear and nothing to watch', () => {
    const failed: FlowEvent = { type: 'create_failed', runId: 1, error: new ConnectError('http', 'bad', { status: 400 }) }
    const { model, effects } = play([[0, start], [0, opened()], [10, failed]])
    expect(model.run).toBeNull()
    expect(effects).toEqual([
      { type: 'status_changed' },
      { type: 'close_popup', runId: 1 },
      { type: 'release', runId: 1 },
      { type: 'failed', error: expect.objectContaining({ status: 400 }) },
    ])
  })

  it('completed without an auth config hands nothing over and reports no error', () => {
    const { model, effects } = play([[0, start], [0, opened()], [10, created('completed', { authConfig: null })]])
    expect(model.view).toMatchObject({ status: 'completed', authConfigId: null, error: null })
    expect(effects.map(effect => effect.type)).not.toContain('connected')
    expect(effects.map(effect => effect.type)).not.toContain('connections_changed')
    expect(effects.map(effect => effect.type)).not.toContain('failed')
  })

  it('completed: onConnected is handed the session and the auth config, and connections change', () => {
    const { effects } = play([...pendingFlow, [1000, check('manual')], [1100, read('completed')]])
    expect(effects.slice(-2)).toEqual([
      { type: 'connected', session: expect.objectContaining({ id: 'pas_1', status: 'completed' }), authConfigId: 'ac_1' },
      { type: 'connections_changed' },
    ])
  })

  it('cancelled after the popup closed tells no one of an error', () => {
    const { model, effects } = play([...pendingFlow, [1000, ...popupClosed()], [3100, read('pending')]])
    expect(model.view).toMatchObject({ status: 'cancelled', error: null, popupBlocked: false })
    expect(effects.map(effect => effect.type)).not.toContain('failed')
  })

  it('waitForSetupSession ends for good on an error: no record, no watch', () => {
    const broken: FlowEvent = { type: 'read_failed', runId: 1, error: new ConnectError('invalid_response', 'another session') }
    const { model, effects } = play([[0, { type: 'wait', sessionId: 'pas_1', session: null, serverNow: null }], [10, broken]])
    expect(model.view.status).toBe('error')
    expect(model.run).toBeNull()
    expect(effects).toEqual([{ type: 'status_changed' }, { type: 'release', runId: 1 }, { type: 'failed', error: expect.objectContaining({ code: 'invalid_response' }) }])
  })
})

describe('rules-end: the watched session answers', () => {
  it('a watched earlier run dropped at its end leaves the list of watched runs; the run on screen goes on', () => {
    const { model, effects } = play([[700_000, timer('deadline', 1)]], restarted().model)
    expect(model.watched).toEqual([])
    expect(model.run?.id).toBe(2)
    // Its window was closed when run 2 began.
    expect(effects).toEqual([{ type: 'release', runId: 1 }])
  })

  it('a watched earlier run that fails leaves the list; the flow does not hear of it', () => {
    const { model, effects } = play([[16_000, read('failed', {}, 1)]], restarted().model)
    expect(model.watched).toEqual([])
    expect(model.view.status).toBe('pending')
    // Its window was closed when run 2 began.
    expect(effects).toEqual([{ type: 'release', runId: 1 }])
  })

  it('of two watched earlier runs, the one that ends leaves the list and the other stays', () => {
    const second = play([[3000, { type: 'read_failed', runId: 2, error: new ConnectError('http', 'gone', { status: 404 }) }], [4000, start]], restarted().model).model
    expect(second.watched.map(run => run.id)).toEqual([1, 2])
    const { model } = play([[700_000, timer('deadline', 1)]], second)
    expect(model.watched.map(run => run.id)).toEqual([2])
    expect(model.run?.id).toBe(3)
  })

  it('a late success of the watched run on screen: shown, handed over, and nothing left running', () => {
    const { model, effects } = play([[16_000, read('completed')]], erred().model)
    expect(model).toMatchObject({ run: null, watched: [], view: { status: 'completed', authConfigId: 'ac_1', error: null } })
    expect(effects).toEqual([
      { type: 'close_popup', runId: 1 },
      { type: 'release', runId: 1 },
      { type: 'status_changed' },
      { type: 'clear_record', providerId: 'slack', sessionId: 'pas_1' },
      { type: 'release', runId: 1 },
      { type: 'connected', session: expect.objectContaining({ id: 'pas_1' }), authConfigId: 'ac_1' },
      { type: 'connections_changed' },
    ])
  })

  it('a late success while the next click is still creating: that run ends, the success shows', () => {
    const creating = play([[2000, start]], erred().model).model
    expect(creating.view.status).toBe('creating')
    const { model, effects } = play([[3000, read('completed', {}, 1)]], creating)
    expect(model.view).toMatchObject({ status: 'completed', authConfigId: 'ac_1' })
    expect(model.run).toBeNull()
    expect(model.watched).toEqual([])
    expect(effects).toContainEqual({ type: 'close_popup', runId: 2 })
    expect(effects).toContainEqual({ type: 'release', runId: 2 })
    expect(effects).toContainEqual({ type: 'connected', session: expect.objectContaining({ id: 'pas_1' }), authConfigId: 'ac_1' })
    // The create of run 2 answers too late to change anything.
    expect(play([[3100, created('pending', { id: 'pas_2' }, 2)]], model).effects).toEqual([])
  })

  it('a late success while the next session is pending: that one is watched, its last look stopped', () => {
    const looking = play([[62_010, timer('deadline', 2)]], restarted().model).model
    expect(looking.run?.finalLook).toBe('timeout')
    const { model, effects } = play([[62_100, read('completed', {}, 1)]], looking)
    expect(model.view).toMatchObject({ status: 'completed', session: expect.objectContaining({ id: 'pas_1' }) })
    expect(model.watched.map(run => [run.id, run.watching])).toEqual([[2, true]])
    expect(effects).toContainEqual({ type: 'clear_timer', runId: 2, name: 'last_look' })
    // Its look is out: the answer schedules the slow check, not a second read now.
    expect(timers(effects, 'poll')).toEqual([])
    expect(play([[62_200, read('pending', { id: 'pas_2' }, 2)]], model).effects).toEqual([{ type: 'set_timer', runId: 2, name: 'poll', ms: 15_000 }])
  })

  it('a late success while the next session is already watched: it joins the watched list as is', () => {
    const twice = play([[3000, { type: 'read_failed', runId: 2, error: new ConnectError('http', 'gone', { status: 404 }) }]], restarted().model).model
    expect(twice.run).toMatchObject({ id: 2, watching: true })
    const { model, effects } = play([[16_000, read('completed', {}, 1)]], twice)
    expect(model.view).toMatchObject({ status: 'completed', authConfigId: 'ac_1' })
    expect(model.watched.map(run => run.id)).toEqual([2])
    expect(model.run).toBeNull()
    // Already watching: no new timers for run 2.
    expect(effects.filter(effect => 'runId' in effect && effect.runId === 2)).toEqual([{ type: 'close_popup', runId: 2 }])
  })

  it('a second success while the flow shows one: also a connection, the view unchanged', () => {
    const done = play([[16_000, read('completed', { id: 'pas_2', authConfig: { id: 'ac_2' } }, 2)]], restarted().model).model
    expect(done.view).toMatchObject({ status: 'completed', authConfigId: 'ac_2' })
    const { model, effects } = play([[20_000, read('completed', {}, 1)]], done)
    expect(model.view).toBe(done.view)
    expect(effects).toContainEqual({ type: 'connected', session: expect.objectContaining({ id: 'pas_1' }), authConfigId: 'ac_1' })
    expect(effects).toContainEqual({ type: 'connections_changed' })
    const bare = play([[20_000, read('completed', { authConfig: null }, 1)]], done)
    expect(bare.effects.map(effect => effect.type)).not.toContain('connected')
  })
})

describe('rules-end: the popup closing', () => {
  it('checks at once and again after the grace, and says so', () => {
    const { model, effects } = play([...pendingFlow, [1000, ...popupClosed()]])
    expect(model.run?.popupClosedAt).toBe(1000)
    expect(effects).toEqual([
      { type: 'close_popup', runId: 1 },
      { type: 'emit', event: { type: 'popup_closed', sessionId: 'pas_1' } },
      { type: 'set_timer', runId: 1, name: 'grace', ms: 2000 },
      { type: 'clear_timer', runId: 1, name: 'poll' },
      { type: 'emit', event: { type: 'poll', sessionId: 'pas_1', reason: 'popup_closed' } },
      { type: 'read', runId: 1, sessionId: 'pas_1' },
    ])
  })

  it('closed while creating, or after the end, it is only closed: no grace, no read', () => {
    const creating = play([[0, start], [0, opened()], [5, ...popupClosed()]])
    expect(creating.effects).toEqual([{ type: 'close_popup', runId: 1 }])
    expect(creating.model.view.status).toBe('creating')
    const watched = play([[2000, ...popupClosed()]], erred().model)
    expect(watched.effects).toEqual([{ type: 'close_popup', runId: 1 }])
    expect(watched.model.run?.popupClosedAt).toBeNull()
  })

  it('before the grace the answer pending keeps the flow pending; after it, cancelled', () => {
    const closed = play([...pendingFlow, [1000, ...popupClosed()]]).model
    expect(play([[2999, read('pending')]], closed).model.view.status).toBe('pending')
    expect(play([[3000, read('pending')]], closed).model.view.status).toBe('cancelled')
  })
})

describe('rules-end: cancel() and reset()', () => {
  it('cancel while creating: cancelled, the placeholder closed, the run released', () => {
    const { model, effects } = play([[0, start], [0, opened()], [5, { type: 'cancel' }]])
    expect(model).toMatchObject({ run: null, watched: [], view: { status: 'cancelled', popupBlocked: false } })
    expect(effects).toEqual([{ type: 'close_popup', runId: 1 }, { type: 'release', runId: 1 }, { type: 'status_changed' }])
  })

  it('cancel while blocked clears the block', () => {
    const blocked = play([[0, start], [0, { type: 'popup_refused', runId: 1 }], [10, created()]]).model
    expect(blocked.view.popupBlocked).toBe(true)
    expect(play([[20, { type: 'cancel' }]], blocked).model.view).toMatchObject({ status: 'cancelled', popupBlocked: false })
  })

  it('cancel after an error keeps the error on screen and stops the watch', () => {
    const { model, effects } = play([[2000, { type: 'cancel' }]], erred().model)
    expect(model.view).toMatchObject({ status: 'error', error: { status: 404 } })
    expect(model.run).toBeNull()
    expect(effects).toEqual([{ type: 'close_popup', runId: 1 }, { type: 'release', runId: 1 }])
  })

  it('only a redirect run with a session has a record to forget', () => {
    const creating = play([[0, start, { settings: redirectSettings }]], initialModel('slack', 'redirect')).model
    expect(play([[5, { type: 'cancel' }, { settings: redirectSettings }]], creating).types).not.toContain('clear_record')
    expect(play([[2000, { type: 'cancel' }]], play(pendingFlow).model).types).not.toContain('clear_record')
    const away = play([[0, start, { settings: redirectSettings }], [10, created(), { settings: redirectSettings }]], initialModel('slack', 'redirect')).model
    expect(play([[20, { type: 'cancel' }, { settings: redirectSettings }]], away).effects).toContainEqual({ type: 'clear_record', providerId: 'slack' })
  })

  it('reset without a provider stays on the same provider, back to idle', () => {
    const { model, effects } = play([...pendingFlow, [2000, { type: 'reset' }]])
    expect(model.view).toMatchObject({ status: 'idle', providerId: 'slack', mode: 'popup', session: null, error: null })
    expect(effects).toEqual([{ type: 'close_popup', runId: 1 }, { type: 'release', runId: 1 }, { type: 'status_changed' }])
  })
})

describe('rules-end: losing and regaining the last subscriber', () => {
  it('pause releases watched runs too; a headless wait and a redirect leave no record', () => {
    const { model, effects } = play([[3000, { type: 'pause' }]], restarted().model)
    expect(model.paused).toBe(true)
    expect(effects.filter(effect => effect.type === 'release').map(effect => effect.runId)).toEqual([2, 1])
    const waiting = play([[0, { type: 'wait', sessionId: 'pas_1', session: null, serverNow: null }], [10, { type: 'pause' }]])
    expect(waiting.effects).toEqual([{ type: 'release', runId: 1 }])
  })

  it('pause while creating in redirect mode goes back to idle, with no window to close', () => {
    const creating = play([[0, start, { settings: redirectSettings }]], initialModel('slack', 'redirect')).model
    const { model, effects } = play([[5, { type: 'pause' }, { settings: redirectSettings }]], creating)
    expect(model).toMatchObject({ run: null, view: { status: 'idle', mode: 'redirect' } })
    expect(effects).toEqual([{ type: 'release', runId: 1 }, { type: 'status_changed' }])
  })

  it('pause after the end keeps the final view', () => {
    const { model, effects } = play([[3000, { type: 'pause' }]], erred().model)
    expect(model.view.status).toBe('error')
    expect(effects).toEqual([{ type: 'release', runId: 1 }])
  })

  it('unpause follows a pending popup run again: its record cleared, listeners, popup watch, deadline, a read at once', () => {
    const paused = play([...pendingFlow, [2000, { type: 'pause' }]]).model
    expect(play([[3000, { type: 'unpause' }]], paused).effects).toEqual([
      { type: 'clear_record', providerId: 'slack', sessionId: 'pas_1' },
      { type: 'listen', runId: 1, token: 'tok' },
      { type: 'set_timer', runId: 1, name: 'popup', ms: 500 },
      { type: 'set_timer', runId: 1, name: 'deadline', ms: 60_000 - 3000 },
      { type: 'clear_timer', runId: 1, name: 'poll' },
      { type: 'emit', event: { type: 'poll', sessionId: 'pas_1', reason: 'resume' } },
      { type: 'read', runId: 1, sessionId: 'pas_1' },
    ])
  })

  it('unpause follows a watched run on screen again, at once', () => {
    const paused = play([[3000, { type: 'pause' }]], erred().model).model
    const { model, effects } = play([[4000, { type: 'unpause' }]], paused)
    expect(model.paused).toBe(false)
    expect(emitted(effects)).toEqual([{ type: 'poll', sessionId: 'pas_1', reason: 'resume' }])
    expect(effects).toContainEqual({ type: 'listen', runId: 1, token: 'tok' })
    expect(effects).toContainEqual({ type: 'read', runId: 1, sessionId: 'pas_1' })
  })

  it('unpause follows a resumed redirect run again without clearing its record', () => {
    const resumed = play([[0, { type: 'resume', record: { sessionId: 'pas_1', state: 'tok', providerId: 'slack', returnTo: '', createdAt: 0 } }], [10, { type: 'pause' }]]).model
    const { effects } = play([[20, { type: 'unpause' }]], resumed)
    expect(effects.map(effect => effect.type)).not.toContain('clear_record')
    expect(effects).toContainEqual({ type: 'read', runId: 1, sessionId: 'pas_1' })
  })

  it('a read out at the pause is not waited for: unpause reads again, and then polls on schedule', () => {
    const reading = play([...pendingFlow, [1000, check('manual')], [1001, check('callback')]]).model
    expect(reading.run?.again).toBe('callback')
    const paused = play([[2000, { type: 'pause' }]], reading).model
    const back = play([[3000, { type: 'unpause' }]], paused)
    expect(back.effects).toContainEqual({ type: 'read', runId: 1, sessionId: 'pas_1' })
    expect(emitted(back.effects)).toContainEqual({ type: 'poll', sessionId: 'pas_1', reason: 'resume' })
    // The check queued before the pause went with the aborted read.
    const answered = play([[3100, read('pending')]], back.model)
    expect(answered.types).toEqual(['set_timer'])
  })

  it('unpause with nothing running, or after the end, follows nothing', () => {
    expect(play([[0, { type: 'pause' }], [10, { type: 'unpause' }]]).effects).toEqual([])
    const done = play([...pendingFlow, [1000, check('manual')], [1100, read('completed')], [2000, { type: 'pause' }]]).model
    expect(play([[3000, { type: 'unpause' }]], done).effects).toEqual([])
  })

  it('an untimed flow paused and resumed keeps its deadline at the session end', () => {
    const paused = play([...untimedFlow, [2000, { type: 'pause' }, { settings: untimed }]]).model
    const { effects } = play([[3000, { type: 'unpause' }, { settings: untimed }]], paused)
    expect(timers(effects, 'deadline')).toEqual([600_010 + 1000 - 3000])
  })
})
