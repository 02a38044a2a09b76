import { describe, expect, it } from 'vitest'
import { ConnectError } from '../../src/core/errors.js'
import { initialModel } from '../../src/core/engine/model.js'
import type { FlowEvent, FlowModel } from '../../src/core/engine/model.js'
import { settingsOf } from '../../src/core/engine/settings.js'
import { check, created, emitted, opened, pendingFlow, play, popupClosed, read, redirectSettings, session, start, timer, timers, untimed, untimedFlow } from './reducer-harness.js'

/** Following a session, through the reducer: when reads go out, what their answers mean, the popup and grace timers, the deadlines. */

const failure = (error: ConnectError, runId = 1): FlowEvent => ({ type: 'read_failed', runId, error })
const network = () => failure(new ConnectError('network', 'down'))
const gone = () => failure(new ConnectError('http', 'gone', { status: 404 }))

/** Answers each scheduled poll pending, `count` times from `model`; returns the poll delays in order. */
function pollDelays(model: FlowModel, count: number, step = 100): number[] {
  let now = 1000
  let current = model
  const delays: number[] = []
  for (let i = 0; i < count; i++) {
    const out = play([[now, timer('poll')], [now + step, read('pending')]], current)
    delays.push(...timers(out.effects, 'poll'))
    current = out.model
    now += 1000
  }
  return delays
}

describe('rules-follow: the schedule', () => {
  it('polls fast at first, 1.5 times slower each time, up to the 5 s cap', () => {
    const { model, effects } = play(pendingFlow)
    expect(timers(effects, 'poll')).toEqual([1000])
    expect(pollDelays(model, 5)).toEqual([1500, 2250, 3375, 5000, 5000])
  })

  it('the fast schedule counts from the click, not from the page\u2019s start', () => {
    const late = 500_000
    const { effects } = play([[late, start], [late, opened()], [late + 10, created()]])
    expect(timers(effects, 'poll')).toEqual([1000])
  })

  it('the jitter spreads tabs apart', () => {
    const low = play([[0, start], [0, opened()], [10, created(), { random: 0 }]])
    expect(timers(low.effects, 'poll')).toEqual([800])
  })

  it('past the first minute, a quarter of the time waited, up to one check per 30 s', () => {
    const { model } = play(untimedFlow)
    const later = play([[80_000, timer('poll')], [80_100, read('pending'), { settings: untimed }]], model)
    expect(timers(later.effects, 'poll')).toEqual([20_025])
    const much = play([[200_000, timer('poll')], [200_100, read('pending'), { settings: untimed }]], model)
    expect(timers(much.effects, 'poll')).toEqual([30_000])
  })

  it('a plain answer schedules the next poll and nothing else', () => {
    const { model } = play(pendingFlow)
    const out = play([[1000, timer('poll')]], model)
    expect(out.effects).toEqual([
      { type: 'clear_timer', runId: 1, name: 'poll' },
      { type: 'emit', event: { type: 'poll', sessionId: 'pas_1', reason: 'schedule' } },
      { type: 'read', runId: 1, sessionId: 'pas_1' },
    ])
    expect(out.model.run).toMatchObject({ reading: true, lastReadAt: 1000 })
    const answered = play([[1100, read('pending')]], out.model)
    expect(answered.effects).toEqual([{ type: 'set_timer', runId: 1, name: 'poll', ms: 1500 }])
    expect(answered.model.run?.reading).toBe(false)
  })

  it('a poll timer for a run away on the consent page reads nothing', () => {
    const away = play([[0, start, { settings: redirectSettings }], [10, created(), { settings: redirectSettings }]], initialModel('slack', 'redirect')).model
    expect(play([[1000, timer('poll')]], away).effects).toEqual([])
    expect(play([[1000, check('callback')]], away).effects).toEqual([])
  })
})

describe('rules-follow: checks', () => {
  it('a callback signal says so, and reads at once', () => {
    const { model } = play(pendingFlow)
    const { effects } = play([[500, { type: 'check', reason: 'callback', runId: 1, channel: 'postMessage' }]], model)
    expect(emitted(effects)).toEqual([
      { type: 'callback_message', sessionId: 'pas_1', channel: 'postMessage' },
      { type: 'poll', sessionId: 'pas_1', reason: 'callback' },
    ])
  })

  it('a callback signal soon after a read still reads; focus does not', () => {
    const { model } = play([...pendingFlow, [1000, timer('poll')], [1100, read('pending')]])
    expect(play([[1200, check('callback')]], model).effects).toContainEqual({ type: 'read', runId: 1, sessionId: 'pas_1' })
    expect(play([[1200, check('visible')]], model).effects).toEqual([])
  })

  it('focus before any read checks at once', () => {
    const { model } = play(pendingFlow)
    expect(play([[20, check('focus')]], model).effects).toContainEqual({ type: 'read', runId: 1, sessionId: 'pas_1' })
  })

  it('a wake-up counts as recent for as long as the last scheduled delay, at most 25 s', () => {
    // The poll read at 1000 was followed by a delay of 1500.
    const { model } = play([...pendingFlow, [1000, timer('poll')], [1100, read('pending')]])
    expect(play([[2499, check('focus')]], model).effects).toEqual([])
    expect(play([[2500, check('focus')]], model).types).toContain('read')
    const slow = play([[200_000, timer('poll')], [200_100, read('pending'), { settings: untimed }]], play(untimedFlow).model).model
    expect(slow.run?.delay).toBe(30_000)
    expect(play([[224_999, check('focus')]], slow).effects).toEqual([])
    expect(play([[225_000, check('focus')]], slow).types).toContain('read')
  })

  it('after the popup closed, a wake-up reads even soon after a read', () => {
    const closed = play([...pendingFlow, [1000, ...popupClosed()], [1100, read('pending')]]).model
    expect(play([[1200, check('focus')]], closed).types).toContain('read')
  })

  it('a check for a run that is not there, or not followed, reads nothing', () => {
    const { model } = play(pendingFlow)
    expect(play([[20, check('callback', 7)]], model).effects).toEqual([])
    const creating = play([[0, start], [0, opened()]]).model
    expect(play([[5, check('manual')]], creating).effects).toEqual([])
    expect(play([[5, check('manual')]], initialModel('slack')).effects).toEqual([])
  })

  it('a signal for a watched earlier run reads it, reason and all', () => {
    const erred = play([...pendingFlow, [1000, check('manual')], [1010, gone()]]).model
    const restarted = play([[2000, start]], erred).model
    const { effects } = play([[2500, { type: 'check', reason: 'callback', runId: 1, channel: 'storage' }]], restarted)
    expect(emitted(effects)).toEqual([
      { type: 'callback_message', sessionId: 'pas_1', channel: 'storage' },
      { type: 'poll', sessionId: 'pas_1', reason: 'callback' },
    ])
  })

  it('Retry-After holds a check until the very moment it ends', () => {
    const limited = failure(new ConnectError('http', 'slow', { status: 429, retryAfterMs: 5000 }))
    const { model } = play([...pendingFlow, [1000, check('manual')], [1010, limited]])
    expect(play([[6009, check('manual')]], model).types).not.toContain('read')
    expect(play([[6010, check('manual')]], model).types).toContain('read')
  })
})

describe('rules-follow: failed reads', () => {
  it('transient failures back off 1 s, 2 s, 4 s … and say which attempt failed', () => {
    let { model } = play(pendingFlow)
    const delays: number[] = []
    for (let attempt = 1; attempt <= 3; attempt++) {
      const out = play([[attempt * 10_000, check('manual')], [attempt * 10_000 + 10, network()]], model)
      expect(emitted(out.effects)).toEqual([{ type: 'poll_failed', sessionId: 'pas_1', error: expect.objectContaining({ code: 'network' }), attempt }])
      delays.push(...timers(out.effects, 'poll'))
      model = out.model
    }
    expect(delays).toEqual([1000, 2000, 4000])
  })

  it('a success resets the count: maxRetries failures in a row are needed to end the wait', () => {
    /** `times` reads in a row that fail on the network, from `t0`. */
    const fail = (from: FlowModel, times: number, t0: number) => {
      let model = from
      for (let i = 0; i < times; i++) model = play([[t0 + i * 100, check('manual')], [t0 + i * 100 + 10, network()]], model).model
      return model
    }
    const four = fail(play(pendingFlow).model, 4, 1000)
    const healed = play([[2000, check('manual')], [2010, read('pending')]], four).model
    expect(healed.view.status).toBe('pending')
    const fiveMore = fail(healed, 5, 3000)
    expect(fiveMore.view.status).toBe('pending')
    expect(fail(fiveMore, 1, 4000).view).toMatchObject({ status: 'error', error: { code: 'network' } })
  })

  it('a 404 ends a flow with a page at once; a 500 is retried', () => {
    expect(play([...pendingFlow, [1000, check('manual')], [1010, gone()]]).model.view.status).toBe('error')
    const busy = play([...pendingFlow, [1000, check('manual')], [1010, failure(new ConnectError('http', 'busy', { status: 500 }))]])
    expect(busy.model.view.status).toBe('pending')
  })

  it('the headless wait does not ride out a 403', () => {
    const { model } = play([[0, { type: 'wait', sessionId: 'pas_1', session: null, serverNow: null }], [10, failure(new ConnectError('http', 'no', { status: 403 }))]])
    expect(model.view.status).toBe('error')
  })

  it('the headless wait rides out only an HTTP 404: another error that carries a 404 ends it', () => {
    const odd = failure(new ConnectError('unsafe_url', 'not https', { status: 404 }))
    const { model } = play([[0, { type: 'wait', sessionId: 'pas_1', session: null, serverNow: null }], [10, odd]])
    expect(model.view).toMatchObject({ status: 'error', error: { code: 'unsafe_url' } })
  })

  it('a watched run waits out a long Retry-After before its next slow check', () => {
    const erred = play([...pendingFlow, [1000, check('manual')], [1010, gone()]]).model
    const limited = failure(new ConnectError('http', 'slow', { status: 429, retryAfterMs: 60_000 }))
    const { model, effects } = play([[16_000, timer('poll')], [16_010, limited]], erred)
    expect(effects).toEqual([{ type: 'set_timer', runId: 1, name: 'poll', ms: 60_000 }])
    expect(model.view.status).toBe('error')
  })
})

describe('rules-follow: the popup and the grace', () => {
  it('the popup check on a run whose window is gone does nothing', () => {
    const closed = play([...pendingFlow, [1000, ...popupClosed()]]).model
    expect(play([[1500, timer('popup')]], closed).effects).toEqual([])
  })

  it('the grace timer reads with reason popup_closed, only while pending', () => {
    const closed = play([...pendingFlow, [1000, ...popupClosed()], [1100, read('pending')]]).model
    expect(emitted(play([[3000, timer('grace')]], closed).effects)).toEqual([{ type: 'poll', sessionId: 'pas_1', reason: 'popup_closed' }])
    const cancelled = play([[3000, { type: 'cancel' }]], closed).model
    expect(play([[3100, timer('grace')]], cancelled).effects).toEqual([])
  })

  it('the popup closing while the user is elsewhere: pending until they come back and look', () => {
    const closed = play([...pendingFlow, [1000, ...popupClosed()], [3100, read('pending'), { focused: false }]])
    expect(closed.model.view.status).toBe('pending')
    expect(timers(closed.effects, 'poll')).toHaveLength(1)
    const back = play([[5000, check('focus')], [5100, read('pending')]], closed.model)
    expect(back.model.view.status).toBe('cancelled')
  })
})

describe('rules-follow: the expiry the backend reports', () => {
  const moved = (ms: number) => read('pending', { expiresAt: new Date(10 * 60_000 + ms).toISOString() })

  it('an unchanged expiry arms nothing; one moved by the margin or more re-arms the deadline', () => {
    const { model } = play([...untimedFlow, [1000, check('manual')]])
    expect(timers(play([[1100, moved(999), { settings: untimed }]], model).effects, 'deadline')).toEqual([])
    expect(timers(play([[1100, moved(1000), { settings: untimed }]], model).effects, 'deadline')).toEqual([601_010 + 1000 - 1100])
    expect(timers(play([[1100, moved(-1000), { settings: untimed }]], model).effects, 'deadline')).toEqual([599_010 + 1000 - 1100])
  })

  it('a guess (no server clock, no createdAt) never moves the end earlier, but may move it later', () => {
    const guessed = play([...untimedFlow, [1000, check('manual')]]).model
    const early = read('pending', { createdAt: undefined, expiresAt: new Date(300_000).toISOString() })
    expect(timers(play([[1100, early, { settings: untimed }]], guessed).effects, 'deadline')).toEqual([])
    const late = read('pending', { createdAt: undefined, expiresAt: new Date(900_000).toISOString() })
    expect(timers(play([[1100, late, { settings: untimed }]], guessed).effects, 'deadline')).toEqual([900_000 + 1000 - 1100])
  })

  it('a guess seen ahead and now behind our clock keeps the end: time went by, the server clock is not behind', () => {
    // Followed with no server clock and no createdAt: `expiresAt` (5 min) read on our clock, a guess.
    const guess = session('pending', { createdAt: undefined, expiresAt: new Date(300_000).toISOString() })
    const waiting = play([[500, { type: 'wait', sessionId: 'pas_1', session: guess, serverNow: null }, { settings: untimed }]]).model
    expect(waiting.run?.expiresAt).toBe(300_000)
    // Still pending when read half a margin after that expiry: no new (30-minute) end is armed.
    const passed = play([[300_500, { type: 'read', runId: 1, session: guess, serverNow: null }, { settings: untimed }]], waiting)
    expect(timers(passed.effects, 'deadline')).toEqual([])
    expect(passed.model.run?.expiresAt).toBe(300_000)
  })

  it('a server clock reading may move the end earlier', () => {
    const { model } = play([...untimedFlow, [1000, check('manual')]])
    const answer: FlowEvent = { type: 'read', runId: 1, session: session('pending', { createdAt: undefined }), serverNow: 300_000 }
    expect(timers(play([[1100, answer, { settings: untimed }]], model).effects, 'deadline')).toEqual([300_000 + 1000])
  })

  it('an expiry already past arms the deadline at once', () => {
    const resume: FlowEvent = { type: 'resume', record: { sessionId: 'pas_1', state: 'tok', providerId: 'slack', returnTo: '', createdAt: 0 } }
    const { effects } = play([[40 * 60_000, resume, { settings: untimed }], [40 * 60_000 + 100, read('pending'), { settings: untimed }]])
    expect(timers(effects, 'deadline')).toEqual([0])
  })

  it('the first expiry an answer reports arms the deadline, however near it is', () => {
    const waiting = play([[500, { type: 'wait', sessionId: 'pas_1', session: null, serverNow: null }, { settings: untimed }]]).model
    const now: FlowEvent = { type: 'read', runId: 1, session: session('pending', { expiresAt: new Date(10 * 60_000).toISOString() }), serverNow: 10 * 60_000 }
    // Expiring as the server answers: locally at 510, the deadline one margin later.
    expect(timers(play([[510, now, { settings: untimed }]], waiting).effects, 'deadline')).toEqual([1000])
  })

  it('a watched run without a known expiry is checked until the 30-minute limit', () => {
    const noExpiry = { expiresAt: null, createdAt: undefined }
    const erred = play([[0, start], [0, opened()], [10, created('pending', noExpiry)], [1000, check('manual')], [1010, gone()]])
    expect(timers(erred.effects, 'deadline')).toEqual([30 * 60_000 + 1000 - 1010])
  })
})

describe('rules-follow: deadlines', () => {
  it('an expiry equal to the timeout counts as the expiry', () => {
    const exact = settingsOf({ timeout: 601_010 })
    const { model } = play([[0, start, { settings: exact }], [0, opened(), { settings: exact }], [10, created(), { settings: exact }]])
    const ended = play([[601_010, timer('deadline'), { settings: exact }], [601_100, read('pending'), { settings: exact }]], model)
    expect(ended.model.view).toMatchObject({ status: 'expired', error: { code: 'session_expired' } })
  })

  it('a timeout without an expiry ends in `timeout`, with its own event', () => {
    const noExpiry = { expiresAt: null, createdAt: undefined }
    const { model } = play([[0, start], [0, opened()], [10, created('pending', noExpiry)]])
    const looking = play([[60_000, timer('deadline')]], model)
    expect(looking.effects).toEqual([
      { type: 'set_timer', runId: 1, name: 'last_look', ms: 5000 },
      { type: 'clear_timer', runId: 1, name: 'poll' },
      { type: 'emit', event: { type: 'poll', sessionId: 'pas_1', reason: 'manual' } },
      { type: 'read', runId: 1, sessionId: 'pas_1' },
    ])
    const ended = play([[60_100, read('pending', noExpiry)]], looking.model)
    expect(ended.model.view).toMatchObject({ status: 'error', error: { code: 'timeout' } })
    expect(ended.effects.slice(0, 3)).toEqual([
      { type: 'clear_timer', runId: 1, name: 'last_look' },
      { type: 'emit', event: { type: 'timeout', sessionId: 'pas_1' } },
      { type: 'status_changed' },
    ])
  })

  it('the timeout while creating says so before the error', () => {
    const { effects } = play([[0, start], [0, opened()], [60_000, timer('deadline')]])
    expect(effects.slice(0, 2)).toEqual([{ type: 'emit', event: { type: 'timeout' } }, { type: 'status_changed' }])
  })

  it('a read out for exactly its share when the deadline comes ends the wait at once', () => {
    const { model } = play(untimedFlow)
    const reading = play([[596_010, check('manual')]], model).model
    const { model: ended } = play([[601_010, timer('deadline')]], reading)
    expect(ended.view.status).toBe('expired')
  })

  it('a second deadline timer during the last look changes nothing', () => {
    const looking = play([...untimedFlow, [601_010, timer('deadline')]]).model
    expect(play([[601_500, timer('deadline')]], looking).effects).toEqual([])
  })

  it('the last-look timer while no look is out does nothing', () => {
    const { model } = play(untimedFlow)
    expect(play([[5000, timer('last_look')]], model).effects).toEqual([])
  })

  it('a deadline timer for an earlier run no longer followed does nothing', () => {
    const cancelled = play([[0, start], [5, { type: 'cancel' }], [10, start]]).model
    expect(play([[60_000, timer('deadline', 1)]], cancelled).effects).toEqual([])
  })

  it('expiry while pending: one last look, then expired when it says pending', () => {
    const looking = play([...untimedFlow, [601_100, { type: 'timer', runId: 1, name: 'deadline' }]])
    expect(looking.types).toEqual(expect.arrayContaining(['set_timer', 'read']))
    const { model, types } = play([[601_200, { type: 'read', runId: 1, session: session('pending'), serverNow: null }]], looking.model)
    expect(model.view).toMatchObject({ status: 'expired', error: { code: 'session_expired' } })
    expect(types).toContain('failed')
  })

  it('the last look that never answers is ended by its own timer', () => {
    const looking = play([...untimedFlow, [601_100, { type: 'timer', runId: 1, name: 'deadline' }]])
    const { model } = play([[606_100, { type: 'timer', runId: 1, name: 'last_look' }]], looking.model)
    expect(model.view.status).toBe('expired')
  })

  it('a completion seen by the last look wins over the deadline', () => {
    const looking = play([...pendingFlow, [60_000, { type: 'timer', runId: 1, name: 'deadline' }]])
    const { model } = play([[60_100, { type: 'read', runId: 1, session: session('completed'), serverNow: null }]], looking.model)
    expect(model.view.status).toBe('completed')
  })

  it('a server clock reading sets the expiry on our clock', () => {
    const { effects } = play([[0, start, { settings: untimed }], [0, opened()], [10, { type: 'created', runId: 1, session: session('pending', { createdAt: undefined }), serverNow: -3_600_000 }]])
    const expiry = effects.find(effect => effect.type === 'set_timer' && effect.name === 'deadline')
    expect(expiry).toMatchObject({ ms: 10 + 10 * 60_000 + 3_600_000 - 10 + 1000 })
  })
})
