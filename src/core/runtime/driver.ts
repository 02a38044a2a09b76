/**
 * The loop both runners share (`SetupFlow`, `waitForSetupSession`): one event at a time through the
 * reducer, then its effects in order. An event dispatched meanwhile (from an effect, a callback or a
 * subscriber) waits its turn; an effect that throws is reported and leaves neither the other effects
 * undone nor the loop stuck.
 */
import type { FlowContext, FlowEffect, FlowEvent, FlowModel } from '../engine/model.js'
import { reduce } from '../engine/reducer.js'
import type { SetupFlowState } from '../types.js'
import { callSafely } from './subscribable.js'

export interface Driver {
  /** The model after the last event. */
  readonly model: FlowModel
  /** True while an event is being handled: a dispatch now only queues. */
  readonly busy: boolean
  dispatch(event: FlowEvent): void
}

/**
 * A driver from `model`: `context` is what the rules read of the world now, `run` runs one effect
 * (`before`: the view before this event), `stepped` hears that an event's effects all ran.
 */
export function createDriver(
  model: FlowModel,
  context: () => FlowContext,
  run: (effect: FlowEffect, before: SetupFlowState) => void,
  stepped?: (before: SetupFlowState) => void,
): Driver {
  const queue: FlowEvent[] = []
  let busy = false
  return {
    get model() {
      return model
    },
    get busy() {
      return busy
    },
    dispatch(event) {
      queue.push(event)
      if (busy) return
      busy = true
      try {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const before = model.view
          const result = reduce(model, next, context())
          model = result.model
          for (const effect of result.effects) callSafely(() => run(effect, before))
          stepped?.(before)
        }
      } finally {
        busy = false
      }
    },
  }
}
