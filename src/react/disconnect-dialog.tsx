import { useId, useRef } from 'react'
import type { KeyboardEvent } from 'react'
import { resolveListLabel } from './connections-list-labels.js'
import type { ConnectionsListLabelContext, ConnectionsListLabels } from './connections-list-labels.js'
import type { ClassNameOf } from './connections-list-parts.js'
import type { DisconnectRequest } from './connections-list-row.js'
import { useIsomorphicLayoutEffect } from './use-isomorphic-layout-effect.js'

export interface DisconnectDialogProps {
  request: DisconnectRequest | null
  open: boolean
  count: number
  labels: ConnectionsListLabels
  className: ClassNameOf
  onCancel: () => void
  onConfirm: () => void
  /** Called once the dialog has closed, to put focus back where the user was. */
  onClosed: () => void
}

/**
 * "Disconnect Slack?": the platform's modal `<dialog>` (top layer, the page behind inert), so the
 * list needs no dialog library. Escape, a click on the backdrop and Cancel all cancel; Cancel has
 * focus first, Tab stays inside, and focus returns when it closes.
 */
export function DisconnectDialog(props: DisconnectDialogProps) {
  const { request, open, labels, className: cls } = props
  const ref = useRef<HTMLDialogElement>(null)
  const id = useId()
  const latest = useRef(props)
  latest.current = props
  const shown = open && request !== null

  useIsomorphicLayoutEffect(() => {
    const dialog = ref.current
    if (!shown || !dialog) return
    // jsdom and old engines lack showModal: the dialog still opens, without the top layer.
    if (typeof dialog.showModal === 'function') dialog.showModal()
    else dialog.setAttribute('open', '')
    dialog.querySelector('button')?.focus()
    // Escape anywhere on the page cancels, wherever focus is (as a modal should).
    const doc = dialog.ownerDocument
    const onEscape = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape') return
      event.preventDefault()
      latest.current.onCancel()
    }
    doc.addEventListener('keydown', onEscape)
    return () => {
      doc.removeEventListener('keydown', onEscape)
      if (typeof dialog.close === 'function') dialog.close()
      // After the close's own render: a confirmed disconnect first swaps the row's buttons.
      setTimeout(() => latest.current.onClosed(), 0)
    }
  }, [shown])

  if (!shown) return null
  const context: ConnectionsListLabelContext = {
    providerName: request.provider.name,
    error: null,
    connection: request.connection,
    connectionName: request.connectionName,
    date: null,
    count: props.count,
  }
  const label = (name: keyof ConnectionsListLabels) => resolveListLabel(labels[name], context)

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab') return
    // Keep Tab inside, as the browser's own modal focus does not stop at the address bar.
    const buttons = event.currentTarget.querySelectorAll('button')
    const edge = buttons[event.shiftKey ? 0 : buttons.length - 1]
    if (event.currentTarget.ownerDocument.activeElement === edge) {
      event.preventDefault()
      buttons[event.shiftKey ? buttons.length - 1 : 0]?.focus()
    }
  }

  return (
    // The <dialog> is the full-screen backdrop; the panel inside it is what the user reads.
    <dialog
      ref={ref}
      className={cls('overlay')}
      aria-modal="true"
      aria-labelledby={`${id}t`}
      aria-describedby={`${id}d`}
      data-provider={request.provider.providerId}
      onKeyDown={onKeyDown}
      onCancel={event => {
        event.preventDefault()
        props.onCancel()
      }}
      // The browser may close a modal itself (a second Escape without user activation): follow it.
      onClose={() => latest.current.open && props.onCancel()}
      onClick={event => event.target === event.currentTarget && props.onCancel()}
    >
      <div className={cls('dialog')} data-provider={request.provider.providerId}>
        <h2 id={`${id}t`} className={cls('dialogTitle')}>
          {label('dialogTitle')}
        </h2>
        <p id={`${id}d`} className={cls('dialogDescription')}>
          {label('dialogDescription')}
        </p>
        <div className={cls('dialogActions')}>
          <button type="button" className={cls('dialogCancel')} onClick={props.onCancel}>
            {label('dialogCancel')}
          </button>
          <button type="button" className={cls('dialogConfirm')} data-action="confirm-disconnect" onClick={props.onConfirm}>
            {label('dialogConfirm')}
          </button>
        </div>
      </div>
    </dialog>
  )
}
