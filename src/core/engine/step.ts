/**
 * One reduction in progress: a copy of the model that the rules change, and the effects they ask
 * for, in order. Plain data and small helpers every rule family shares.
 */
import type { SetupFlowState } from '../types.js'
import type { EventData, FlowContext, FlowEffect, FlowModel, Run, TimerName } from './model.js'

export interface Step {
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

export function draft(model: FlowModel, context: FlowContext): Step {
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
export function outcome(step: Step, before: FlowModel): { model: FlowModel; effects: FlowEffect[] } {
  const { view, run, watched, paused, nextRunId, effects, statusChangedAt } = step
  if (statusChangedAt !== null && view.status !== before.view.status) effects.splice(statusChangedAt, 0, { type: 'status_changed' })
  return { model: { view, run, watched, paused, nextRunId }, effects }
}

export function show(step: Step, next: SetupFlowState): void {
  if (step.statusChangedAt === null && next.status !== step.view.status) step.statusChangedAt = step.effects.length
  step.view = next
}

/** An analytics event for `onEvent`; the runner adds the provider. */
export function emit(step: Step, event: EventData): void {
  step.effects.push({ type: 'emit', event })
}

/** The run an event names: the one on screen or a watched one. Without a name, the one on screen. */
export function find(step: Step, runId: number | undefined): Run | null {
  if (runId === undefined || step.run?.id === runId) return step.run
  return step.watched.find(run => run.id === runId) ?? null
}

/** The run on screen, while it is being created or followed. */
export function isActive(step: Step, run: Run): boolean {
  return run === step.run && !run.watching && (step.view.status === 'creating' || step.view.status === 'pending')
}

/** The run on screen, followed: its session pending. */
export function isPending(step: Step, run: Run): boolean {
  return run === step.run && !run.watching && step.view.status === 'pending'
}

/** Pending, or watched for a late success: its session is still worth reading. */
export function isFollowed(step: Step, run: Run): boolean {
  return run.watching || (run === step.run && step.view.status === 'pending' && !run.away)
}

export function arm(step: Step, run: Run, name: TimerName, ms: number): void {
  step.effects.push({ type: 'set_timer', runId: run.id, name, ms })
}

export function disarm(step: Step, run: Run, name: TimerName): void {
  step.effects.push({ type: 'clear_timer', runId: run.id, name })
}

export function release(step: Step, run: Run): void {
  run.listening = false
  run.reading = false
  run.again = null
  step.effects.push({ type: 'release', runId: run.id })
}

/** Closes the run's popup, if it has one: every window the flow opened is one its model accounts for. */
export function closePopup(step: Step, run: Run): void {
  if (run.popup === 'none') return
  run.popup = 'none'
  step.effects.push({ type: 'close_popup', runId: run.id })
}
