/**
 * What the pure reducer's tests share: a context at a given time, sessions, and `play`, which folds
 * events over a model and returns the last model and effects. No timers, no promises, no browser.
 */
import { initialModel } from '../../src/core/engine/model.js'
import type { FlowContext, FlowEffect, FlowEvent, FlowModel, TimerName } from '../../src/core/engine/model.js'
import { settingsOf } from '../../src/core/engine/settings.js'
import { reduce } from '../../src/core/engine/reducer.js'
import type { SetupSession } from '../../src/core/types.js'

/** Defaults but a 15 s watch interval and a 60 s `timeout`. */
export const settings = settingsOf({ watchInterval: 15_000, timeout: 60_000 })
/** No `timeout`: the session's expiry (10 minutes) is the deadline. */
export const untimed = settingsOf({ watchInterval: 15_000 })
export const redirectSettings = settingsOf({ mode: 'redirect', timeout: 60_000 })

export const at = (now: number, over: Partial<FlowContext> = {}): FlowContext => ({
  now,
  random: 0.5,
  hidden: false,
  focused: true,
  settings,
  popupClosed: () => false,
  claimed: () => false,
  ...over,
})

/** Session `pas_1`, created at 0 and expiring at 10 minutes (server clock), completed with `ac_1`. */
export const session = (status: SetupSession['status'], over: Partial<SetupSession> = {}): SetupSession => ({
  id: 'pas_1',
  status,
  url: 'https://consent.example.com/1',
  expiresAt: new Date(10 * 60_000).toISOString(),
  createdAt: new Date(0).toISOString(),
  ...(status === 'completed' ? { authConfig: { id: 'ac_1' } } : {}),
  ...over,
})

export type Played = Array<[number, FlowEvent, Partial<FlowContext>?]>

/** Folds `events` (each at its time, with its context) over `from`; returns the model and the last effects. */
export function play(events: Played, from: FlowModel = initialModel('slack')) {
  let model = from
  let effects: FlowEffect[] = []
  for (const [now, event, over] of events) ({ model, effects } = reduce(model, event, at(now, over)))
  return { model, effects, types: effects.map(effect => (effect.type === 'emit' ? `emit:${effect.event.type}` : effect.type)) }
}

/** The `set_timer` effects for `name`, by delay. */
export const timers = (effects: FlowEffect[], name: TimerName) =>
  effects.flatMap(effect => (effect.type === 'set_timer' && effect.name === name ? [effect.ms] : []))

/** The analytics events emitted, by type and payload. */
export const emitted = (effects: FlowEffect[]) => effects.flatMap(effect => (effect.type === 'emit' ? [effect.event] : []))

export const start: FlowEvent = { type: 'start', token: 'tok' }
export const opened = (runId = 1): FlowEvent => ({ type: 'popup_opened', runId })
export const created = (status: SetupSession['status'] = 'pending', over: Partial<SetupSession> = {}, runId = 1): FlowEvent => ({
  type: 'created',
  runId,
  session: session(status, over),
  serverNow: null,
})
export const read = (status: SetupSession['status'], over: Partial<SetupSession> = {}, runId = 1): FlowEvent => ({
  type: 'read',
  runId,
  session: session(status, over),
  serverNow: null,
})
export const timer = (name: TimerName, runId = 1): FlowEvent => ({ type: 'timer', runId, name })
export const check = (reason: Extract<FlowEvent, { type: 'check' }>['reason'], runId?: number): FlowEvent => ({ type: 'check', reason, runId })
/** The popup watch finding the window closed. */
export const popupClosed = (runId = 1): [FlowEvent, Partial<FlowContext>] => [timer('popup', runId), { popupClosed: () => true }]

/** Clicked, popup open, session created pending at 10 ms (with the default 60 s `timeout`). */
export const pendingFlow: Played = [
  [0, start],
  [0, opened()],
  [10, created()],
]
/** The same with no `timeout`: the session's expiry is its deadline. */
export const untimedFlow: Played = [
  [0, start, { settings: untimed }],
  [0, opened(), { settings: untimed }],
  [10, created(), { settings: untimed }],
]
