import { describe, expect, it } from 'vitest'
import { ConnectError } from '../../src/core/errors.js'
import { initialModel } from '../../src/core/engine/model.js'
import type { FlowContext, FlowEvent } from '../../src/core/engine/model.js'
import { settingsOf } from '../../src/core/engine/settings.js'
import type { SetupSession } from '../../src/core/types.js'
import { created, opened, pendingFlow, play, popupClosed, redirectSettings, session, settings, start, untimed, untimedFlow } from './reducer-harness.js'
import type { Played } from './reducer-harness.js'

/** The reducer, event by event: no timers, no promises, no browser. */

describe('reducer: start and create', () => {
  it('start: creating, the timeout armed, the popup asked for; once it opens, one create', () => {
    const { model, types } = play([[0, start]])
    expect(model.view.status).toBe('creating')
    expect(types).toEqual(['emit:start', 'status_changed', 'set_timer', 'open_popup'])
    expect(play([[0, opened()]], model).types).toEqual(['emit:popup_opened', 'create'])
  })

  it('start in redirect mode: creating, and the create at once, with no popup', () => {
    const { model, types } = play([[0, start, { settings: redirectSettings }]], initialModel('slack', 'redirect'))
    expect(model.view).toMatchObject({ status: 'creating', mode: 'redirect' })
    expect(types).toEqual(['emit:start', 'status_changed', 'set_timer', 'create'])
  })

  it('start while creating or pending does nothing: one click, one session', () => {
    const creating = play([[0, start], [0, opened()]]).model
    expect(play([[20, start]], creating)).toMatchObject({ model: { view: creating.view }, effects: [] })
    const pending = play(pendingFlow).model
    const again = play([[20, start]], pending)
    expect(again.model.view).toBe(pending.view)
    expect(again.types).toEqual(['focus_popup', 'emit:popup_focused'])
  })

  it('a blocked popup: still creating, with popupBlocked and its error, and no failure reported', () => {
    const { model, types } = play([[0, start], [0, { type: 'popup_refused', runId: 1 }]])
    expect(model.view).toMatchObject({ status: 'creating', popupBlocked: true, error: { code: 'popup_blocked' } })
    expect(types).toEqual(['emit:popup_blocked', 'create'])
    const fallback = play([[0, start], [0, { type: 'popup_refused', runId: 1 }, { settings: { ...settings, redirectFallback: true } }]])
    expect(fallback.model.view).toMatchObject({ status: 'creating', popupBlocked: false, mode: 'redirect' })
    expect(fallback.effects).toContainEqual({ type: 'create', runId: 1, mode: 'redirect', token: 'tok' })
  })

  it('created pending: the popup goes to the consent page, listeners and deadline are set', () => {
    const { model, types } = play(pendingFlow)
    expect(model.view.status).toBe('pending')
    expect(types).toEqual(['session_created', 'emit:session_created', 'status_changed', 'navigate_popup', 'listen', 'set_timer', 'set_timer', 'set_timer'])
  })

  it('created in redirect mode: record, navigate, nothing left running', () => {
    const { types } = play([[0, start, { settings: redirectSettings }], [10, created(), { settings: redirectSettings }]])
    expect(types).toEqual(['session_created', 'emit:session_created', 'status_changed', 'save_record', 'release', 'await_restore', 'emit:redirect', 'navigate'])
  })

  it('created already completed: connected once, popup closed', () => {
    const { model, effects, types } = play([[0, start], [10, created('completed')]])
    expect(model.view).toMatchObject({ status: 'completed', authConfigId: 'ac_1' })
    expect(effects.filter(effect => effect.type === 'connected')).toHaveLength(1)
    expect(types).toContain('close_popup')
  })

  it('an answer for a run that is over changes nothing', () => {
    const cancelled = play([[0, start], [0, opened()], [5, { type: 'cancel' }]]).model
    const { model, effects } = play([[10, created()]], cancelled)
    expect(model.view.status).toBe('cancelled')
    expect(effects).toEqual([])
  })

  it('the timeout while creating: error `timeout`, popup closed, no watching', () => {
    const { model, types } = play([[0, start], [0, opened()], [60_000, { type: 'timer', runId: 1, name: 'deadline' }]])
    expect(model.view).toMatchObject({ status: 'error', error: { code: 'timeout' } })
    expect(types).toContain('close_popup')
    expect(model.run).toBeNull()
  })
})

describe('reducer: reads', () => {
  const read = (status: SetupSession['status']): FlowEvent => ({ type: 'read', runId: 1, session: session(status), serverNow: null })
  const reading = (now: number): [number, FlowEvent] => [now, { type: 'check', reason: 'manual' }]

  it('completed: connected, run released', () => {
    const { model, types } = play([...pendingFlow, reading(1000), [1100, read('completed')]])
    expect(model.view.status).toBe('completed')
    expect(types).toEqual(expect.arrayContaining(['connected', 'release', 'close_popup']))
  })

  it('pending after the popup closed and the grace passed, user back: cancelled, then slow checks', () => {
    const { model, effects } = play([...pendingFlow, [1000, ...popupClosed()], [3100, read('pending')]])
    expect(model.view.status).toBe('cancelled')
    expect(model.run?.watching).toBe(true)
    expect(effects).toContainEqual({ type: 'set_timer', runId: 1, name: 'poll', ms: 15_000 })
  })

  it('the same while the user is elsewhere: still pending', () => {
    const { model } = play([...pendingFlow, [1000, ...popupClosed()], [3100, read('pending'), { focused: false }]])
    expect(model.view.status).toBe('pending')
  })

  it('transient failures retry, then end in error; a watched run keeps going through them', () => {
    const failed: FlowEvent = { type: 'read_failed', runId: 1, error: new ConnectError('network', 'down') }
    let events: Played = [...pendingFlow]
    for (let i = 0; i <= settings.maxRetries; i++) events = [...events, reading(1000 * (i + 1)), [1000 * (i + 1) + 10, failed]]
    const { model } = play(events)
    expect(model.view).toMatchObject({ status: 'error', error: { code: 'network' } })
    expect(model.run?.watching).toBe(true)
    const refused: FlowEvent = { type: 'read_failed', runId: 1, error: new ConnectError('http', 'nope', { status: 404 }) }
    const after = play([[20_000, { type: 'timer', runId: 1, name: 'poll' }], [20_010, refused]], model)
    expect(after.model.run?.watching).toBe(true)
    expect(after.effects).toContainEqual({ type: 'set_timer', runId: 1, name: 'poll', ms: 15_000 })
  })

  it('a check while a read is out is queued, and sent when it answers', () => {
    const queued = play([...pendingFlow, reading(1000), reading(1001)])
    expect(queued.types).toEqual([])
    expect(queued.model.run?.again).toBe('manual')
    const { types } = play([[1100, read('pending')]], queued.model)
    expect(types).toEqual(['clear_timer', 'emit:poll', 'read'])
  })

  it('Retry-After holds every check, callbacks included, until it passes', () => {
    const limited: FlowEvent = { type: 'read_failed', runId: 1, error: new ConnectError('http', 'slow', { status: 429, retryAfterMs: 5000 }) }
    const { model } = play([...pendingFlow, reading(1000), [1010, limited]])
    const held = play([[2000, { type: 'check', reason: 'callback', runId: 1 }]], model)
    expect(held.types).not.toContain('read')
    expect(held.effects).toContainEqual({ type: 'set_timer', runId: 1, name: 'poll', ms: 4010 })
  })

  it('focus soon after a read adds nothing; after the gap it checks at once', () => {
    const { model } = play([...pendingFlow, reading(1000), [1100, read('pending')]])
    expect(play([[1500, { type: 'check', reason: 'focus' }]], model).types).not.toContain('read')
    expect(play([[40_000, { type: 'check', reason: 'focus' }]], model).types).toContain('read')
  })
})

describe('reducer: ending', () => {
  const watching = play([...pendingFlow, [1000, ...popupClosed()], [3100, { type: 'read', runId: 1, session: session('pending'), serverNow: null }]]).model

  it('start while watching keeps the earlier run watched', () => {
    const { model } = play([[4000, start]], watching)
    expect(model.watched.map(run => run.id)).toEqual([1])
    expect(model.run?.id).toBe(2)
  })

  it('cancel() releases every run, earlier ones included, and keeps the final view', () => {
    const restarted = play([[4000, start]], watching).model
    const { model, effects } = play([[5000, { type: 'cancel' }]], restarted)
    expect(effects.filter(effect => effect.type === 'release').map(effect => (effect as { runId: number }).runId).sort()).toEqual([1, 2])
    expect(model).toMatchObject({ run: null, watched: [] })
    expect(model.view.status).toBe('cancelled')
  })

  it('unmount while pending keeps a record; remount follows again at once', () => {
    const paused = play([...pendingFlow, [2000, { type: 'pause' }]])
    expect(paused.types).toEqual(['release', 'save_record'])
    const { types } = play([[3000, { type: 'unpause' }]], paused.model)
    expect(types).toEqual(expect.arrayContaining(['clear_record', 'listen', 'read']))
  })

  it('a completed connection removed elsewhere brings the flow back to idle', () => {
    const done = play([[0, start], [0, opened()], [10, created('completed')]]).model
    expect(play([[20, { type: 'connection_removed', authConfigId: 'ac_other' }]], done).model.view.status).toBe('completed')
    expect(play([[20, { type: 'connection_removed', authConfigId: 'ac_1' }]], done).model.view.status).toBe('idle')
  })
})

describe('reducer: answers and timers that come too late change nothing', () => {
  const read = (status: SetupSession['status'], runId = 1): FlowEvent => ({ type: 'read', runId, session: session(status), serverNow: null })
  const failed = (runId = 1): FlowEvent => ({ type: 'read_failed', runId, error: new ConnectError('network', 'down') })
  const timer = (name: 'poll' | 'deadline' | 'last_look' | 'grace' | 'popup' | 'create_retry', runId = 1): FlowEvent => ({ type: 'timer', runId, name })
  const ended = {
    cancelled: play([...pendingFlow, [1000, { type: 'cancel' }]]).model,
    reset: play([...pendingFlow, [1000, { type: 'reset' }]]).model,
    completed: play([...pendingFlow, [1000, { type: 'check', reason: 'manual' }], [1100, read('completed')]]).model,
  }

  it.each(Object.entries(ended))('after %s: late reads, failures and every timer are ignored', (_, model) => {
    for (const event of [read('completed'), read('pending'), failed(), timer('poll'), timer('deadline'), timer('last_look'), timer('grace'), timer('popup'), timer('create_retry')]) {
      const { model: next, effects } = play([[5000, event]], model)
      expect(next.view).toBe(model.view)
      expect(effects.filter(effect => effect.type !== 'emit')).toEqual([])
    }
  })

  it('an aborted read is not a failure; a read for an unknown run is nobody\u2019s', () => {
    const { model } = play([...pendingFlow, [1000, { type: 'check', reason: 'manual' }]])
    const aborted = play([[1100, { type: 'read_failed', runId: 1, error: new ConnectError('aborted', 'gone') }]], model)
    expect(aborted.effects).toEqual([])
    expect(aborted.model.run?.failures).toBe(0)
    expect(play([[1100, read('completed', 99)]], model).model.view.status).toBe('pending')
    expect(play([[1100, failed(99)]], model).effects).toEqual([])
  })

  it('a hidden tab re-arms the poll without reading; a watched run polls with reason watch', () => {
    const { model } = play([...pendingFlow, [1000, { type: 'check', reason: 'manual' }], [1100, read('pending')]])
    const hidden = play([[3000, timer('poll'), { hidden: true }]], model)
    expect(hidden.types).toEqual(['set_timer'])
    const watching = play([[1000, ...popupClosed()], [3100, read('pending')]], model).model
    const watchPoll = play([[20_000, timer('poll')]], watching)
    expect(watchPoll.effects).toContainEqual({ type: 'emit', event: expect.objectContaining({ type: 'poll', reason: 'watch' }) })
  })

  it('the grace timer checks once more; the popup closed while creating waits for the session', () => {
    const { model } = play([...pendingFlow, [1000, ...popupClosed()], [1100, read('pending')]])
    expect(play([[3000, timer('grace')]], model).types).toContain('read')
    const creating = play([[0, start], [0, opened()], [10, ...popupClosed()]])
    expect(creating.model.run?.popup).toBe('none')
    expect(creating.types).not.toContain('read')
  })

  it('a failed read while the last look is out ends at the deadline; Retry-After sets when the next read may go', () => {
    const looking = play([...untimedFlow, [601_100, timer('deadline')]]).model
    expect(play([[601_200, failed()]], looking).model.view.status).toBe('expired')
    const limited: FlowEvent = { type: 'read_failed', runId: 1, error: new ConnectError('http', 'slow', { status: 429, retryAfterMs: 7000 }) }
    const { model } = play([...pendingFlow, [1000, { type: 'check', reason: 'manual' }], [1000, limited]])
    expect(model.run?.notBefore).toBe(8000)
    const plain = play([...pendingFlow, [1000, { type: 'check', reason: 'manual' }], [1000, failed()]]).model
    expect(plain.run?.notBefore).toBe(0)
  })

  it('unmounting while creating closes the placeholder and goes back to idle; a redirect run is not recorded again', () => {
    const creating = play([[0, start], [0, opened()], [5, { type: 'pause' }]])
    expect(creating.model.view.status).toBe('idle')
    expect(creating.types).toContain('close_popup')
    const redirect = play([[0, start, { settings: redirectSettings }], [10, created()], [20, { type: 'pause' }]])
    expect(redirect.types).not.toContain('save_record')
  })

  it('cancel() while idle or final changes nothing visible; reset() in redirect mode forgets the record', () => {
    const idle = play([[0, { type: 'cancel' }]])
    expect(idle.model.view.status).toBe('idle')
    const resumed = play([[0, { type: 'resume', record: { sessionId: 'pas_1', state: 'tok', providerId: 'slack', returnTo: '', createdAt: 0 } }]])
    expect(resumed.model.view.status).toBe('pending')
    expect(play([[10, { type: 'reset' }]], resumed.model).effects).toContainEqual({ type: 'clear_record', providerId: 'slack' })
  })
})

describe('reducer: the popup, answered', () => {
  const blocked = () => play([[0, start], [0, { type: 'popup_refused', runId: 1 }], [10, created()]]).model

  it('a click while blocked asks for a new tab at the consent page; its opening clears the block and watches it', () => {
    const clicked = play([[20, start]], blocked())
    expect(clicked.effects).toEqual([{ type: 'open_popup', runId: 1, url: 'https://consent.example.com/1' }])
    const { model, types } = play([[20, { type: 'popup_opened', runId: 1 }]], clicked.model)
    expect(model.view).toMatchObject({ status: 'pending', popupBlocked: false, error: null })
    expect(types).toEqual(['emit:popup_opened', 'set_timer'])
  })

  it('a tab refused again leaves the flow blocked; "open_tab" does nothing unless blocked and pending', () => {
    const clicked = play([[20, { type: 'open_tab' }]], blocked())
    const refused = play([[20, { type: 'popup_refused', runId: 1 }]], clicked.model)
    expect(refused.model.view).toMatchObject({ status: 'pending', popupBlocked: true })
    expect(refused.effects).toEqual([])
    expect(play([[20, { type: 'open_tab' }]], play(pendingFlow).model).effects).toEqual([])
    expect(play([[20, { type: 'open_tab' }]], initialModel('slack')).effects).toEqual([])
  })

  it('answers about a popup nobody asked for change nothing', () => {
    const pending = play(pendingFlow).model
    for (const event of [{ type: 'popup_opened', runId: 1 }, { type: 'popup_refused', runId: 1 }, { type: 'popup_opened', runId: 9 }] as FlowEvent[]) {
      const { model, effects } = play([[20, event]], pending)
      expect(model.view).toBe(pending.view)
      expect(effects).toEqual([])
    }
  })

  it('the popup watch re-arms while the window is open, and reports it closed once', () => {
    const pending = play(pendingFlow).model
    expect(play([[510, { type: 'timer', runId: 1, name: 'popup' }]], pending).effects).toEqual([{ type: 'set_timer', runId: 1, name: 'popup', ms: 500 }])
    const closed = play([[510, ...popupClosed()]], pending)
    expect(closed.types).toEqual(['close_popup', 'emit:popup_closed', 'set_timer', 'clear_timer', 'emit:poll', 'read'])
    expect(play([[1010, ...popupClosed()]], closed.model).effects).toEqual([])
  })

  it('restarting closes every earlier window, the watched run\'s too', () => {
    const watching = play([...pendingFlow, [1000, { type: 'read_failed', runId: 1, error: new ConnectError('http', 'gone', { status: 404 }) }]]).model
    expect(watching.view.status).toBe('error')
    const { effects } = play([[2000, start]], watching)
    expect(effects).toContainEqual({ type: 'close_popup', runId: 1 })
    expect(effects.filter(effect => effect.type === 'release')).toEqual([])
  })
})

describe('reducer: create retries', () => {
  const failed = (status: number): FlowEvent => ({ type: 'create_failed', runId: 1, error: new ConnectError('http', 'busy', { status }) })
  const creating = () => play([[0, start], [0, opened()]]).model

  it.each([429, 503])('a %i is retried twice, after a delay, then ends in error', status => {
    let model = creating()
    for (let attempt = 0; attempt < 2; attempt++) {
      const retry = play([[100, failed(status)]], model)
      expect(retry.effects).toEqual([{ type: 'set_timer', runId: 1, name: 'create_retry', ms: 1000 * 2 ** attempt }])
      const again = play([[5000, { type: 'timer', runId: 1, name: 'create_retry' }]], retry.model)
      expect(again.effects).toEqual([{ type: 'create', runId: 1, mode: 'popup', token: 'tok' }])
      model = again.model
    }
    const { model: ended, types } = play([[9000, failed(status)]], model)
    expect(ended.view).toMatchObject({ status: 'error', error: { status } })
    expect(types).toEqual(expect.arrayContaining(['close_popup', 'release', 'failed']))
  })

  it.each([500, 400])('a %i may have made a session: never retried', status => {
    const { model, types } = play([[100, failed(status)]], creating())
    expect(model.view.status).toBe('error')
    expect(types).not.toContain('set_timer')
  })

  it('a create retry timer after the run ended creates nothing', () => {
    const cancelled = play([[100, failed(429)], [200, { type: 'cancel' }]], creating()).model
    expect(play([[1100, { type: 'timer', runId: 1, name: 'create_retry' }]], cancelled).effects).toEqual([])
  })
})

describe('reducer: deadlines, which one and why', () => {
  const noExpiry = (status: SetupSession['status'] = 'pending') => session(status, { expiresAt: null, createdAt: undefined })
  const follow = (over: Partial<FlowContext>, answer = noExpiry()) =>
    play([
      [0, start, over],
      [0, opened(), over],
      [10, { type: 'created', runId: 1, session: answer, serverNow: null }, over],
    ])

  it('no expiresAt and no timeout: the 30-minute limit, which ends in `timeout`', () => {
    const { model, effects } = follow({ settings: untimed })
    expect(effects).toContainEqual({ type: 'set_timer', runId: 1, name: 'deadline', ms: 30 * 60_000 - 10 })
    const looked = play([[30 * 60_000, { type: 'timer', runId: 1, name: 'deadline' }], [30 * 60_000 + 50, { type: 'read', runId: 1, session: noExpiry(), serverNow: null }]], model)
    expect(looked.model.view).toMatchObject({ status: 'error', error: { code: 'timeout' } })
  })

  it('a timeout earlier than the expiry wins, and a later one loses', () => {
    const early = follow({ settings: settingsOf({ timeout: 60_000 }) }, session('pending'))
    expect(early.effects).toContainEqual({ type: 'set_timer', runId: 1, name: 'deadline', ms: 60_000 - 10 })
    const late = follow({ settings: settingsOf({ timeout: 60 * 60_000 }) }, session('pending'))
    expect(late.effects).toContainEqual({ type: 'set_timer', runId: 1, name: 'deadline', ms: 600_000 + 1000 })
  })

  it('a deadline timer that fires early (the expiry moved) re-arms instead of ending', () => {
    const { model } = follow({ settings: untimed }, session('pending'))
    const early = play([[300_000, { type: 'timer', runId: 1, name: 'deadline' }]], model)
    expect(early.effects).toEqual([{ type: 'set_timer', runId: 1, name: 'deadline', ms: 600_010 + 1000 - 300_000 }])
    expect(early.model.view.status).toBe('pending')
  })

  it('a read out when the deadline comes is the last look, for what is left of its 5 s', () => {
    const { model } = follow({ settings: untimed }, session('pending'))
    const reading = play([[598_000, { type: 'check', reason: 'manual' }]], model).model
    const atDeadline = play([[601_010, { type: 'timer', runId: 1, name: 'deadline' }]], reading)
    expect(atDeadline.effects).toEqual([{ type: 'set_timer', runId: 1, name: 'last_look', ms: 5000 - 3010 }])
    const stale = play([[591_000, { type: 'check', reason: 'manual' }], [601_010, { type: 'timer', runId: 1, name: 'deadline' }]], model)
    expect(stale.model.view).toMatchObject({ status: 'expired' })
  })

  it('the last look is bounded by requestTimeout when that is shorter', () => {
    const short = settingsOf({ requestTimeout: 2000 })
    const { model } = follow({ settings: short }, session('pending'))
    const { effects } = play([[601_010, { type: 'timer', runId: 1, name: 'deadline' }, { settings: short }]], model)
    expect(effects).toContainEqual({ type: 'set_timer', runId: 1, name: 'last_look', ms: 2000 })
  })

  it('a watched run is dropped at its session\'s end, not before', () => {
    const watching = play([...untimedFlow, [1000, ...popupClosed()], [3100, { type: 'read', runId: 1, session: session('pending'), serverNow: null }]]).model
    expect(watching.run?.watching).toBe(true)
    const early = play([[400_000, { type: 'timer', runId: 1, name: 'deadline' }]], watching)
    expect(early.model.run?.watching).toBe(true)
    const { model, types } = play([[601_010, { type: 'timer', runId: 1, name: 'deadline' }]], watching)
    expect(model.run).toBeNull()
    expect(types).toEqual(['release'])
  })
})

describe('reducer: waitForSetupSession\'s headless run', () => {
  const waitFor = (over: Partial<FlowContext> = {}) => play([[0, { type: 'wait', sessionId: 'pas_1', session: null, serverNow: null }, over]])

  it('reads at once, with no listener and no popup', () => {
    const { model, types } = waitFor()
    expect(model.view.status).toBe('pending')
    expect(types).toEqual(['status_changed', 'set_timer', 'clear_timer', 'emit:poll', 'read'])
  })

  it('rides out a 404 or an unreadable answer, bounded; a broken contract ends it at once', () => {
    const hiccups = [new ConnectError('http', 'not found', { status: 404 }), new ConnectError('invalid_response', 'html', { status: 200 })]
    for (const error of hiccups) {
      const { model, types } = play([[10, { type: 'read_failed', runId: 1, error }]], waitFor().model)
      expect(model.view.status).toBe('pending')
      expect(types).toContain('emit:poll_failed')
    }
    const broken = play([[10, { type: 'read_failed', runId: 1, error: new ConnectError('invalid_response', 'another session') }]], waitFor().model)
    expect(broken.model.view).toMatchObject({ status: 'error', error: { code: 'invalid_response' } })
  })

  it('a session object given up front sets the deadline from its expiresAt', () => {
    const { effects } = play([[0, { type: 'wait', sessionId: 'pas_1', session: session('pending'), serverNow: 0 }, { settings: untimed }]])
    expect(effects).toContainEqual({ type: 'set_timer', runId: 1, name: 'deadline', ms: 600_000 + 1000 })
  })
})

describe('reducer: redirect mode and the page coming back', () => {
  const away = () => play([[0, start, { settings: redirectSettings }], [10, created(), { settings: redirectSettings }]], initialModel('slack', 'redirect')).model

  it('a back-forward-cache restore follows the session again and reads at once', () => {
    const { model, types } = play([[5000, { type: 'page_restored' }]], away())
    expect(model.run?.away).toBe(false)
    expect(types).toEqual(['release', 'emit:resumed', 'listen', 'set_timer', 'clear_timer', 'emit:poll', 'read'])
  })

  it('a restore means nothing unless a run is away and pending, and no one unsubscribed', () => {
    expect(play([[0, { type: 'page_restored' }]], play(pendingFlow).model).effects).toEqual([])
    expect(play([[0, { type: 'page_restored' }]], initialModel('slack')).effects).toEqual([])
    const paused = play([[20, { type: 'pause' }]], away()).model
    expect(play([[30, { type: 'page_restored' }]], paused).effects).toEqual([])
    expect(play([[40, { type: 'unpause' }]], paused).effects).toEqual([{ type: 'await_restore', runId: 1 }])
  })

  it('a click while away goes to the same consent page again, creating nothing', () => {
    const { types, effects } = play([[5000, start, { settings: redirectSettings }]], away())
    expect(types).toEqual(['release', 'await_restore', 'emit:redirect', 'navigate'])
    expect(effects).toContainEqual({ type: 'navigate', url: 'https://consent.example.com/1' })
  })
})

describe('reducer: options and the view', () => {
  it('configure shows the mode of the next click while idle or final, never mid-flow', () => {
    const idle = play([[0, { type: 'configure' }, { settings: redirectSettings }]])
    expect(idle.model.view.mode).toBe('redirect')
    expect(idle.types).toEqual([])
    const pending = play(pendingFlow).model
    expect(play([[10, { type: 'configure' }, { settings: redirectSettings }]], pending).model.view).toBe(pending.view)
    const same = initialModel('slack')
    expect(play([[10, { type: 'configure' }]], same).model.view).toBe(same.view)
    const creating = play([[0, start]]).model
    expect(play([[10, { type: 'configure' }, { settings: redirectSettings }]], creating).model.view).toBe(creating.view)
    const done = play([[0, start], [0, opened()], [10, created('completed')]]).model
    expect(play([[20, { type: 'configure' }, { settings: redirectSettings }]], done).model.view).toMatchObject({ status: 'completed', mode: 'redirect' })
  })

  it('onConnected is not asked for a session some flow of the client already handed over', () => {
    const { effects } = play([[0, start], [0, opened()], [10, created('completed'), { claimed: () => true }]])
    expect(effects.map(effect => effect.type)).not.toContain('connected')
    expect(effects).toContainEqual({ type: 'connections_changed' })
  })

  it('check() while nobody is subscribed does nothing', () => {
    const paused = play([...pendingFlow, [100, { type: 'pause' }]]).model
    expect(play([[200, { type: 'check', reason: 'manual' }]], paused).effects).toEqual([])
  })
})

describe('reducer: a watched session answers', () => {
  const failedOnce = (): Played => [...pendingFlow, [1000, { type: 'read_failed', runId: 1, error: new ConnectError('http', 'gone', { status: 404 }) }]]

  it('an error from pending is watched: the record kept for the session is cleared, the popup stays, onError is told', () => {
    const { model, effects } = play(failedOnce())
    expect(model.view.status).toBe('error')
    expect(model.run).toMatchObject({ id: 1, watching: true })
    expect(effects).toContainEqual({ type: 'clear_record', providerId: 'slack', sessionId: 'pas_1' })
    expect(effects).toContainEqual({ type: 'failed', error: expect.objectContaining({ status: 404 }) })
    expect(effects.map(effect => effect.type)).not.toContain('close_popup')
    expect(effects).toContainEqual({ type: 'set_timer', runId: 1, name: 'poll', ms: 15_000 })
  })

  it('still pending: checked again after the watch interval; failed or expired: dropped quietly', () => {
    const watching = play(failedOnce()).model
    const pending = play([[16_000, { type: 'read', runId: 1, session: session('pending'), serverNow: null }]], watching)
    expect(pending.effects).toEqual([{ type: 'set_timer', runId: 1, name: 'poll', ms: 15_000 }])
    for (const status of ['failed', 'expired'] as const) {
      const { model, effects } = play([[16_000, { type: 'read', runId: 1, session: session(status), serverNow: null }]], watching)
      expect(model.view.status).toBe('error')
      expect(model.run).toBeNull()
      expect(effects).toEqual([{ type: 'close_popup', runId: 1 }, { type: 'release', runId: 1 }])
    }
  })

  it('completed: the flow shows it and hands it over once', () => {
    const { model, effects } = play([[16_000, { type: 'read', runId: 1, session: session('completed'), serverNow: null }]], play(failedOnce()).model)
    expect(model.view).toMatchObject({ status: 'completed', authConfigId: 'ac_1' })
    expect(effects.filter(effect => effect.type === 'connected')).toHaveLength(1)
  })

  it('completed while a newer session is pending: the older success shows, the newer one is watched too', () => {
    const restarted = play([[2000, start], [2000, { type: 'popup_opened', runId: 2 }], [2010, { type: 'created', runId: 2, session: session('pending', { id: 'pas_2' }), serverNow: null }]], play(failedOnce()).model).model
    expect(restarted.watched.map(run => run.id)).toEqual([1])
    const { model, effects } = play([[16_000, { type: 'read', runId: 1, session: session('completed'), serverNow: null }]], restarted)
    expect(model.view).toMatchObject({ status: 'completed', authConfigId: 'ac_1' })
    expect(model.watched.map(run => [run.id, run.watching])).toEqual([[2, true]])
    expect(effects).toContainEqual({ type: 'close_popup', runId: 2 })
  })

  it('completed while the flow is idle or already completed: a connection too, the view unchanged', () => {
    const watching = play(failedOnce()).model
    const idle = { ...watching, view: { ...watching.view, status: 'idle' as const } }
    const { model, effects } = play([[16_000, { type: 'read', runId: 1, session: session('completed'), serverNow: null }]], idle)
    expect(model.view).toBe(idle.view)
    expect(effects).toContainEqual({ type: 'connected', session: expect.objectContaining({ id: 'pas_1' }), authConfigId: 'ac_1' })
  })
})

describe('reducer: unmount and remount', () => {
  it('unmount while pending in a popup releases every run and saves a record to pick the session up', () => {
    const { model, effects } = play([...pendingFlow, [2000, { type: 'pause' }]])
    expect(model.paused).toBe(true)
    expect(effects).toEqual([
      { type: 'release', runId: 1 },
      { type: 'save_record', record: { sessionId: 'pas_1', state: 'tok', providerId: 'slack', createdAt: 10 }, returnHere: false },
    ])
  })

  it('remount follows the pending run and every watched one again, reading at once', () => {
    const watched = play([...pendingFlow, [1000, { type: 'read_failed', runId: 1, error: new ConnectError('http', 'gone', { status: 404 }) }], [2000, start], [2000, { type: 'popup_opened', runId: 2 }], [2010, { type: 'created', runId: 2, session: session('pending', { id: 'pas_2' }), serverNow: null }]]).model
    const paused = play([[3000, { type: 'pause' }]], watched).model
    const { model, effects } = play([[4000, { type: 'unpause' }]], paused)
    expect(model.paused).toBe(false)
    expect(effects).toContainEqual({ type: 'clear_record', providerId: 'slack', sessionId: 'pas_2' })
    expect(effects.filter(effect => effect.type === 'read').map(effect => (effect as { runId: number }).runId).sort()).toEqual([1, 2])
    expect(play([[5000, { type: 'unpause' }]], model).effects).toEqual([])
  })

  it('reset() goes back to idle for a new provider, with the mode of the next click', () => {
    const { model } = play([...pendingFlow, [2000, { type: 'reset', providerId: 'github' }, { settings: redirectSettings }]])
    expect(model.view).toMatchObject({ status: 'idle', providerId: 'github', mode: 'redirect', session: null })
  })
})
