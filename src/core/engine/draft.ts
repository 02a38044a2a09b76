/**
 * One reduction in progress: a copy of the model that the rules change, and the effects they ask
 * for, in order. Plain data and small helpers every rule family shares.
 */
import type { SetupFlowState } from '../types.js'
import type { EventData, FlowContext, FlowEffect, FlowModel, Run, TimerName } from './model.js'

export interface Draft {
  view: SetupFlowState
  run: Run | null
  watched: Run[]
  paused: boolean
  nextRunId: number
  effects: FlowEffect[]
  /** Where in `effects` the status first changed: subscribers hear of it there, in causal order. */
  statusChangedAt: number | null
  readonly context: FlowContext
}

export function draft(model: FlowModel, context: FlowContext): Draft {
  return {
    view: model.view,
    run: model.run && { ...model.run },
    watched: model.watched.map(run => ({ ...run })),
    paused: model.paused,
    nextRunId: model.nextRunId,
    effects: [],
    statusChangedAt: null,
    context,
  }
}

/** The next model, and the effects with `status_changed` where the status changed. */
export function outcome(draft: Draft, before: FlowModel): { model: FlowModel; effects: FlowEffect[] } {
  const { view, run, watched, paused, nextRunId, effects, statusChangedAt } = draft
  if (statusChangedAt !== null && view.status !== before.view.status) effects.splice(statusChangedAt, 0, { type: 'status_changed' })
  return { model: { view, run, watched, paused, nextRunId }, effects }
}

export function show(draft: Draft, next: SetupFlowState): void {
  if (draft.statusChangedAt === null && next.status !== draft.view.status) draft.statusChangedAt = draft.effects.length
  draft.view = next
}

/** Asks the runner for `effect`, after those asked for before it. */
export function ask(draft: Draft, effect: FlowEffect): void {
  draft.effects.push(effect)
}

/** An analytics event for `onEvent`; the runner adds the provider. */
export function emit(draft: Draft, event: EventData): void {
  ask(draft, { type: 'emit', event })
}

/** The run an event names: the one on screen or a watched one. Without a name, the one on screen. */
export function find(draft: Draft, runId: number | undefined): Run | null {
  if (runId === undefined || draft.run?.id === runId) return draft.run
  return draft.watched.find(run => run.id === runId) ?? null
}

/** The run on screen, while it is being created or followed. */
export function isActive(draft: Draft, run: Run): boolean {
  return run === draft.run && !run.watching && (draft.view.status === 'creating' || draft.view.status === 'pending')
}

/** The run on screen, followed: its session pending. */
export function isPending(draft: Draft, run: Run): boolean {
  return run === draft.run && !run.watching && draft.view.status === 'pending'
}

/** Pending, or watched for a late success: its session is still worth reading. */
export function isFollowed(draft: Draft, run: Run): boolean {
  return run.watching || (run === draft.run && draft.view.status === 'pending' && !run.away)
}

export function arm(draft: Draft, run: Run, name: TimerName, ms: number): void {
  ask(draft, { type: 'set_timer', runId: run.id, name, ms })
}

export function disarm(draft: Draft, run: Run, name: TimerName): void {
  ask(draft, { type: 'clear_timer', runId: run.id, name })
}

export function release(draft: Draft, run: Run): void {
  run.listening = false
  run.reading = false
  run.again = null
  ask(draft, { type: 'release', runId: run.id })
}

/** The run lets go of everything: its window closed, its requests, timers and listeners released. */
export function end(draft: Draft, run: Run): void {
  closePopup(draft, run)
  release(draft, run)
}

/** Closes the run's popup, if it has one: every window the flow opened is one its model accounts for. */
export function closePopup(draft: Draft, run: Run): void {
  if (run.popup === 'none') return
  run.popup = 'none'
  ask(draft, { type: 'close_popup', runId: run.id })
}
