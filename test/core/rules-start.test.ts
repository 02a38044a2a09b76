import { describe, expect, it } from 'vitest'
import { ConnectError } from '../../src/core/errors.js'
import { initialModel } from '../../src/core/engine/model.js'
import type { FlowEvent } from '../../src/core/engine/model.js'
import { settingsOf } from '../../src/core/engine/settings.js'
import { check, created, emitted, opened, pendingFlow, play, popupClosed, read, redirectSettings, session, start, timer, timers, untimed } from './reducer-harness.js'

/** How runs begin, through the reducer: the click in every status, the popup, the create, redirect and resume, the headless wait. */

const record = { sessionId: 'pas_1', state: 'tok', providerId: 'slack', returnTo: '', createdAt: 0 }
const resume: FlowEvent = { type: 'resume', record }

describe('rules-start: the click', () => {
  it('a first click in popup mode: run 1 creating, the timeout armed, an empty placeholder asked for', () => {
    const { model, effects } = play([[0, start]])
    expect(model.run).toMatchObject({ id: 1, mode: 'popup', token: 'tok', popup: 'opening', timeoutAt: 60_000 })
    expect(model.nextRunId).toBe(2)
    expect(model.view).toEqual({ status: 'creating', session: null, authConfigId: null, error: null, popupBlocked: false, providerId: 'slack', mode: 'popup' })
    expect(effects).toEqual([
      { type: 'emit', event: { type: 'start' } },
      { type: 'status_changed' },
      { type: 'set_timer', runId: 1, name: 'deadline', ms: 60_000 },
      { type: 'open_popup', runId: 1, url: null },
    ])
  })

  it('without a timeout no deadline is armed while creating', () => {
    const { model, effects } = play([[0, start, { settings: untimed }]])
    expect(model.run?.timeoutAt).toBeNull()
    expect(timers(effects, 'deadline')).toEqual([])
  })

  it('a click after an error starts afresh: a new run, the old error and session gone from the view', () => {
    const failed: FlowEvent = { type: 'read_failed', runId: 1, error: new ConnectError('http', 'gone', { status: 404 }) }
    const erred = play([...pendingFlow, [1000, check('manual')], [1010, failed]]).model
    const { model } = play([[2000, start]], erred)
    expect(model.run?.id).toBe(2)
    expect(model.view).toMatchObject({ status: 'creating', error: null, session: null, authConfigId: null })
    expect(play([[2000, opened(2)]], model).effects).toContainEqual({ type: 'create', runId: 2, mode: 'popup', token: 'tok' })
  })

  it('a click after completion starts a new run; the finished one is gone', () => {
    const done = play([...pendingFlow, [1000, check('manual')], [1100, read('completed')]]).model
    expect(done.run).toBeNull()
    const { model, effects } = play([[2000, { type: 'start', token: 'tok2' }]], done)
    expect(model.run).toMatchObject({ id: 2, token: 'tok2' })
    expect(model.watched).toEqual([])
    expect(effects.map(effect => effect.type)).not.toContain('release')
  })

  it('a click while nobody is subscribed follows again: checks are heard', () => {
    const paused = play([[0, { type: 'pause' }]]).model
    const clicked = play([[10, start], [10, opened()], [20, created()]], paused)
    expect(clicked.model.paused).toBe(false)
    expect(play([[30, check('manual')]], clicked.model).effects).toContainEqual({ type: 'read', runId: 1, sessionId: 'pas_1' })
  })

  it('a click while nobody is subscribed follows the run watched behind it again, at once', () => {
    const failed: FlowEvent = { type: 'read_failed', runId: 1, error: new ConnectError('http', 'gone', { status: 404 }) }
    const erred = play([...pendingFlow, [1000, check('manual')], [1010, failed]]).model
    const paused = play([[1500, { type: 'pause' }]], erred).model
    const { model, effects } = play([[2000, start]], paused)
    expect(model.paused).toBe(false)
    expect(model.watched.map(run => run.id)).toEqual([1])
    expect(effects).toContainEqual({ type: 'listen', runId: 1, token: 'tok' })
    expect(effects).toContainEqual({ type: 'read', runId: 1, sessionId: 'pas_1' })
    // Subscribed all along, the watched run keeps its own schedule: the click adds no read.
    expect(play([[2000, start]], erred).effects).not.toContainEqual({ type: 'read', runId: 1, sessionId: 'pas_1' })
  })

  it('a click while pending with the popup closed does nothing', () => {
    const closed = play([...pendingFlow, [1000, ...popupClosed()]]).model
    const { model, effects } = play([[1500, start]], closed)
    expect(effects).toEqual([])
    expect(model.view).toBe(closed.view)
  })
})

describe('rules-start: the popup', () => {
  it('once open while pending it is watched, and a closed-then-reopened tab is not a close', () => {
    const closed = play([...pendingFlow, [1000, ...popupClosed()]]).model
    const asked = play([[1200, { type: 'open_tab' }]], closed)
    expect(asked.effects).toEqual([{ type: 'open_popup', runId: 1, url: 'https://consent.example.com/1' }])
    const reopened = play([[1300, opened()]], asked.model)
    expect(reopened.effects).toEqual([{ type: 'emit', event: { type: 'popup_opened' } }, { type: 'set_timer', runId: 1, name: 'popup', ms: 500 }])
    expect(reopened.model.run?.popupClosedAt).toBeNull()
    // Nothing was blocked: subscribers keep the same state object.
    expect(reopened.model.view).toBe(asked.model.view)
    // The grace has passed, the user is here: still pending, since the window is open again.
    expect(play([[3100, read('pending')]], reopened.model).model.view.status).toBe('pending')
  })

  it('"open_tab" in redirect mode, or while creating, opens nothing', () => {
    const away = play([[0, start, { settings: redirectSettings }], [10, created(), { settings: redirectSettings }]], initialModel('slack', 'redirect')).model
    expect(play([[20, { type: 'open_tab' }]], away).effects).toEqual([])
    const creating = play([[0, start], [0, { type: 'popup_refused', runId: 1 }]]).model
    expect(play([[5, { type: 'open_tab' }]], creating).effects).toEqual([])
  })

  it('"open_tab" after the end opens nothing, even with the session known and no window', () => {
    const failed: FlowEvent = { type: 'read_failed', runId: 1, error: new ConnectError('http', 'gone', { status: 404 }) }
    const erred = play([...pendingFlow, [1000, check('manual')], [1010, failed], [2000, ...popupClosed()]]).model
    expect(erred.view).toMatchObject({ status: 'error', session: expect.objectContaining({ id: 'pas_1' }) })
    expect(erred.run?.popup).toBe('none')
    expect(play([[3000, { type: 'open_tab' }]], erred).effects).toEqual([])
  })

  it('a stray refusal after the window opened changes nothing: no block, no second create', () => {
    const creating = play([[0, start], [0, opened()]]).model
    const { model, effects } = play([[5, { type: 'popup_refused', runId: 1 }]], creating)
    expect(effects).toEqual([])
    expect(model.run?.popup).toBe('open')
    expect(model.view).toBe(creating.view)
  })

  it('a window opened for a run no longer on screen is not adopted', () => {
    const blocked = play([[0, start], [0, { type: 'popup_refused', runId: 1 }], [10, created()], [20, { type: 'open_tab' }]]).model
    const failed: FlowEvent = { type: 'read_failed', runId: 1, error: new ConnectError('http', 'gone', { status: 404 }) }
    const moved = play([[30, check('manual')], [40, failed], [50, start]], blocked).model
    expect(moved.watched.map(run => run.id)).toEqual([1])
    expect(play([[60, opened(1)]], moved).effects).toEqual([])
  })

  it('a refusal for an earlier run only notes its window is gone', () => {
    const blocked = play([[0, start], [0, { type: 'popup_refused', runId: 1 }], [10, created()], [20, { type: 'open_tab' }]]).model
    const { model, effects } = play([[30, { type: 'popup_refused', runId: 1 }]], blocked)
    expect(effects).toEqual([])
    expect(model.run?.popup).toBe('none')
    expect(model.view.status).toBe('pending')
  })

  it('blocked: the session is created with no window to send to the consent page, and polled', () => {
    const { model, effects } = play([[0, start], [0, { type: 'popup_refused', runId: 1 }], [10, created()]])
    expect(model.view).toMatchObject({ status: 'pending', popupBlocked: true, error: { code: 'popup_blocked' } })
    expect(effects.map(effect => effect.type)).not.toContain('navigate_popup')
    expect(timers(effects, 'popup')).toEqual([])
    expect(timers(effects, 'poll')).toHaveLength(1)
  })

  it('the redirect fallback says so, and leaves for the consent page once created', () => {
    const fallback = { ...settingsOf({ timeout: 60_000 }), redirectFallback: true }
    const refused = play([[0, start, { settings: fallback }], [0, { type: 'popup_refused', runId: 1 }, { settings: fallback }]])
    expect(emitted(refused.effects)).toEqual([{ type: 'redirect_fallback' }])
    expect(refused.types).not.toContain('status_changed')
    const { effects } = play([[10, created(), { settings: fallback }]], refused.model)
    expect(effects).toContainEqual({ type: 'navigate', url: 'https://consent.example.com/1' })
  })
})

describe('rules-start: the create', () => {
  it('created pending: the popup is sent to the consent page, then listeners, popup watch, deadline and first poll', () => {
    const { model, effects } = play(pendingFlow)
    expect(model.run).toMatchObject({ sessionId: 'pas_1', createdAt: 10, expiresAt: 600_010 })
    expect(model.view).toMatchObject({ status: 'pending', session: expect.objectContaining({ id: 'pas_1' }) })
    expect(effects).toEqual([
      { type: 'session_created', sessionId: 'pas_1' },
      { type: 'emit', event: { type: 'session_created', sessionId: 'pas_1' } },
      { type: 'status_changed' },
      { type: 'navigate_popup', runId: 1, url: 'https://consent.example.com/1' },
      { type: 'listen', runId: 1, token: 'tok' },
      { type: 'set_timer', runId: 1, name: 'popup', ms: 500 },
      { type: 'set_timer', runId: 1, name: 'deadline', ms: 60_000 - 10 },
      { type: 'set_timer', runId: 1, name: 'poll', ms: 1000 },
    ])
  })

  it('created in redirect mode: the record says where to come back, then the page leaves', () => {
    const { model, effects } = play([[0, start, { settings: redirectSettings }], [10, created(), { settings: redirectSettings }]], initialModel('slack', 'redirect'))
    expect(model.run).toMatchObject({ away: true, listening: false })
    expect(effects).toEqual([
      { type: 'session_created', sessionId: 'pas_1' },
      { type: 'emit', event: { type: 'session_created', sessionId: 'pas_1' } },
      { type: 'status_changed' },
      { type: 'save_record', record: { sessionId: 'pas_1', state: 'tok', providerId: 'slack', createdAt: 10 }, returnHere: true },
      { type: 'release', runId: 1 },
      { type: 'await_restore', runId: 1 },
      { type: 'emit', event: { type: 'redirect', sessionId: 'pas_1' } },
      { type: 'navigate', url: 'https://consent.example.com/1' },
    ])
  })

  it('created already completed: handed over at once, and nothing is followed', () => {
    const { model, effects } = play([[0, start], [0, opened()], [10, created('completed')]])
    expect(model).toMatchObject({ run: null, view: { status: 'completed', authConfigId: 'ac_1' } })
    expect(effects).toEqual([
      { type: 'session_created', sessionId: 'pas_1' },
      { type: 'emit', event: { type: 'session_created', sessionId: 'pas_1' } },
      { type: 'status_changed' },
      { type: 'clear_record', providerId: 'slack', sessionId: 'pas_1' },
      { type: 'close_popup', runId: 1 },
      { type: 'release', runId: 1 },
      { type: 'connected', session: expect.objectContaining({ id: 'pas_1' }), authConfigId: 'ac_1' },
      { type: 'connections_changed' },
    ])
  })

  it('created already completed in redirect mode: no leaving, onConnected at once', () => {
    const { model, effects } = play([[0, start, { settings: redirectSettings }], [10, created('completed'), { settings: redirectSettings }]], initialModel('slack', 'redirect'))
    expect(model.view.status).toBe('completed')
    expect(effects.map(effect => effect.type)).not.toContain('navigate')
    expect(effects).toContainEqual({ type: 'connected', session: expect.objectContaining({ id: 'pas_1' }), authConfigId: 'ac_1' })
  })

  it('a create answer for another run, or while not creating, changes nothing', () => {
    const creating = play([[0, start], [0, opened()]]).model
    expect(play([[10, created('pending', {}, 2)]], creating).effects).toEqual([])
    const pending = play(pendingFlow).model
    expect(play([[20, created('pending', { id: 'pas_9' })]], pending).effects).toEqual([])
    const failed: FlowEvent = { type: 'create_failed', runId: 1, error: new ConnectError('http', 'busy', { status: 503 }) }
    expect(play([[20, failed]], pending).effects).toEqual([])
    expect(play([[20, { ...failed, runId: 2 }]], creating).effects).toEqual([])
  })

  it('a 429 from the network layer is no answer from the backend: an error, not retried', () => {
    const creating = play([[0, start], [0, opened()]]).model
    const odd: FlowEvent = { type: 'create_failed', runId: 1, error: new ConnectError('invalid_response', 'odd', { status: 429 }) }
    expect(play([[10, odd]], creating).model.view.status).toBe('error')
  })

  it('a create retry honours Retry-After', () => {
    const creating = play([[0, start], [0, opened()]]).model
    const busy: FlowEvent = { type: 'create_failed', runId: 1, error: new ConnectError('http', 'busy', { status: 429, retryAfterMs: 9000 }) }
    expect(play([[10, busy]], creating).effects).toEqual([{ type: 'set_timer', runId: 1, name: 'create_retry', ms: 9000 }])
  })
})

describe('rules-start: coming back', () => {
  it('resume: pending on the recorded session, the state parameter dropped, a read at once', () => {
    const { model, effects } = play([[5000, resume]])
    expect(model.run).toMatchObject({ id: 1, mode: 'redirect', token: 'tok', sessionId: 'pas_1', createdAt: 0, limitAt: 30 * 60_000 })
    expect(model.view).toMatchObject({ status: 'pending', mode: 'redirect', session: null })
    expect(effects).toEqual([
      { type: 'status_changed' },
      { type: 'drop_state_param', token: 'tok' },
      { type: 'emit', event: { type: 'resumed', sessionId: 'pas_1' } },
      { type: 'listen', runId: 1, token: 'tok' },
      { type: 'set_timer', runId: 1, name: 'deadline', ms: 30 * 60_000 - 5000 },
      { type: 'clear_timer', runId: 1, name: 'poll' },
      { type: 'emit', event: { type: 'poll', sessionId: 'pas_1', reason: 'resume' } },
      { type: 'read', runId: 1, sessionId: 'pas_1' },
    ])
  })

  it('a record older than the 30-minute limit still gets its read, then times out', () => {
    const late = 40 * 60_000
    const { model, effects } = play([[late, resume, { settings: untimed }]])
    expect(model.run?.limitAt).toBe(late)
    expect(timers(effects, 'deadline')).toEqual([0])
    expect(effects).toContainEqual({ type: 'read', runId: 1, sessionId: 'pas_1' })
  })

  it('a resumed session learns its expiry from createdAt on the record\u2019s clock', () => {
    const resumed = play([[5000, resume, { settings: untimed }], [5100, read('pending'), { settings: untimed }]])
    // Created at 0 (the record), lives 10 minutes: the deadline is 10 min + margin from 0.
    expect(timers(resumed.effects, 'deadline')).toEqual([600_000 + 1000 - 5100])
  })

  it('resume while creating or pending is ignored; after an error it sets the watched run aside', () => {
    expect(play([[0, start], [10, resume]]).effects).toEqual([])
    expect(play([[20, resume]], play(pendingFlow).model).effects).toEqual([])
    const failed: FlowEvent = { type: 'read_failed', runId: 1, error: new ConnectError('http', 'gone', { status: 404 }) }
    const erred = play([...pendingFlow, [1000, check('manual')], [1010, failed]]).model
    const { model, effects } = play([[2000, resume]], erred)
    expect(model.run?.id).toBe(2)
    expect(model.watched.map(run => run.id)).toEqual([1])
    expect(effects[0]).toEqual({ type: 'close_popup', runId: 1 })
  })

  it('resume while nobody was subscribed follows again: checks are heard', () => {
    const paused = play([[0, { type: 'pause' }]]).model
    const resumed = play([[10, resume]], paused)
    expect(resumed.model.paused).toBe(false)
    const answered = play([[20, read('pending')], [30, check('callback')]], resumed.model)
    expect(answered.effects).toContainEqual({ type: 'read', runId: 1, sessionId: 'pas_1' })
  })

  it('resume while nobody was subscribed follows the run watched behind it again, at once', () => {
    const failed: FlowEvent = { type: 'read_failed', runId: 1, error: new ConnectError('http', 'gone', { status: 404 }) }
    const erred = play([...pendingFlow, [1000, check('manual')], [1010, failed]]).model
    const paused = play([[1500, { type: 'pause' }]], erred).model
    const { effects } = play([[2000, { type: 'resume', record: { ...record, sessionId: 'pas_2' } }]], paused)
    expect(effects).toContainEqual({ type: 'read', runId: 1, sessionId: 'pas_1' })
    expect(effects).toContainEqual({ type: 'read', runId: 2, sessionId: 'pas_2' })
    expect(play([[2000, { type: 'resume', record: { ...record, sessionId: 'pas_2' } }]], erred).effects).not.toContainEqual({ type: 'read', runId: 1, sessionId: 'pas_1' })
  })

  it('every run gets an id of its own, whatever began the one before', () => {
    const wait: FlowEvent = { type: 'wait', sessionId: 'pas_1', session: null, serverNow: null }
    for (const first of [resume, wait]) {
      const { effects } = play([[0, first], [10, { type: 'cancel' }], [20, start]])
      expect(effects).toContainEqual({ type: 'open_popup', runId: 2, url: null })
    }
  })

  it('resume after a cancel ends the cancelled run', () => {
    const cancelled = play([[0, start], [5, { type: 'cancel' }]]).model
    const { model } = play([[10, resume]], cancelled)
    expect(model.run?.id).toBe(2)
    expect(model.watched).toEqual([])
  })

  it('a restore after leaving reads at once with reason resume', () => {
    const away = play([[0, start, { settings: redirectSettings }], [10, created(), { settings: redirectSettings }]], initialModel('slack', 'redirect')).model
    const { model, effects } = play([[5000, { type: 'page_restored' }, { settings: redirectSettings }]], away)
    expect(model.run).toMatchObject({ away: false, listening: true, reading: true })
    expect(emitted(effects)).toEqual([
      { type: 'resumed', sessionId: 'pas_1' },
      { type: 'poll', sessionId: 'pas_1', reason: 'resume' },
    ])
    expect(play([[6000, { type: 'page_restored' }]], model).effects).toEqual([])
  })
})

describe('rules-start: waitForSetupSession', () => {
  it('a headless run: pending on the session given, its timeout the deadline', () => {
    const { model, effects } = play([[100, { type: 'wait', sessionId: 'pas_1', session: session('pending'), serverNow: null }]])
    expect(model.run).toMatchObject({ id: 1, mode: 'headless', sessionId: 'pas_1', timeoutAt: 60_100 })
    expect(model.view).toMatchObject({ status: 'pending', session: expect.objectContaining({ id: 'pas_1' }) })
    expect(timers(effects, 'deadline')).toEqual([60_000])
    expect(emitted(effects)).toEqual([{ type: 'poll', sessionId: 'pas_1', reason: 'manual' }])
  })

  it('without a timeout or an expiry, the 30-minute limit', () => {
    const { model, effects } = play([[100, { type: 'wait', sessionId: 'pas_1', session: null, serverNow: null }, { settings: untimed }]])
    expect(model.run).toMatchObject({ timeoutAt: null, expiresAt: null, limitAt: 100 + 30 * 60_000 })
    expect(timers(effects, 'deadline')).toEqual([30 * 60_000])
  })

  it('a session with an unreadable expiry leaves the 30-minute limit', () => {
    const { effects } = play([[100, { type: 'wait', sessionId: 'pas_1', session: session('pending', { expiresAt: null }), serverNow: null }, { settings: untimed }]])
    expect(timers(effects, 'deadline')).toEqual([30 * 60_000])
  })

  it('a timer for the wait run after it ended does nothing', () => {
    const ended = play([[0, { type: 'wait', sessionId: 'pas_1', session: null, serverNow: null }], [10, read('completed')]]).model
    expect(ended.view.status).toBe('completed')
    expect(play([[20, timer('poll')]], ended).effects).toEqual([])
  })
})
