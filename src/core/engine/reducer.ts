/**
 * Every rule of the connect flow, found by the event's name: `reduce(model, event, context)` returns
 * the next model and the effects to run (requests, timers, the popup, storage, callbacks). The
 * runners (`runtime/flow.ts`, `runtime/wait.ts`) run the effects and feed the answers back as
 * events; they decide nothing. The rules, in short:
 * - One click, one session: a click while creating does nothing; while pending it brings the
 *   consent page back. Every window the flow opens is one its model accounts for.
 * - A session is followed by fast checks, slowing to one per 30 s, and at once on a callback, the
 *   popup closing, focus, visibility or a back-forward-cache restore.
 * - A closed popup is not proof: `cancelled` only once the backend still says pending after the
 *   grace, and the user is back on the page.
 * - After `cancelled` (closed popup) or `error`, slow checks go on until the session expires: a
 *   late success is never lost. `cancel()` and `reset()` end everything, for good.
 * - Deadlines (`expiresAt`, `timeout`, the 30-minute limit) end the wait whatever is in flight,
 *   after one last look that is itself bounded.
 * - Without a subscriber nothing runs; the next subscriber picks the session up.
 */
import type { FlowContext, FlowEffect, FlowEvent, FlowModel } from './model.js'
import { onCheck, onRead, onReadFailed, onTimer } from './rules-follow.js'
import { pause, stopAll, unpause } from './rules-end.js'
import { onCreated, onCreateFailed, onOpenTab, onPageRestored, onPopupOpened, onPopupRefused, onResume, onStart, onWait } from './rules-start.js'
import { draft, outcome, show } from './step.js'
import type { Step } from './step.js'
import { initialState, isActiveStatus } from './view.js'

type Rule<T extends FlowEvent['type']> = (step: Step, event: Extract<FlowEvent, { type: T }>) => void

/** The rule for each event, by the event's name. */
const RULES: { [T in FlowEvent['type']]: Rule<T> } = {
  start: onStart,
  open_tab: onOpenTab,
  popup_opened: onPopupOpened,
  popup_refused: onPopupRefused,
  created: onCreated,
  create_failed: onCreateFailed,
  read: onRead,
  read_failed: onReadFailed,
  timer: onTimer,
  check: onCheck,
  page_restored: onPageRestored,
  resume: onResume,
  wait: onWait,
  cancel: step => stopAll(step, 'cancelled'),
  reset: (step, event) => stopAll(step, 'idle', event.providerId),
  pause,
  unpause,
  configure: step => {
    const { mode } = step.context.settings
    if (!isActiveStatus(step.view.status) && step.view.mode !== mode) show(step, { ...step.view, mode })
  },
  connection_removed: (step, event) => {
    if (step.view.status === 'completed' && step.view.authConfigId === event.authConfigId) {
      show(step, initialState(step.view.providerId, step.context.settings.mode))
    }
  },
}

/** The next model and the effects to run, for `event` happening to `model`. Never changes `model`. */
export function reduce(model: FlowModel, event: FlowEvent, context: FlowContext): { model: FlowModel; effects: FlowEffect[] } {
  const step = draft(model, context)
  const rule = RULES[event.type] as Rule<FlowEvent['type']>
  rule(step, event)
  return outcome(step, model)
}
