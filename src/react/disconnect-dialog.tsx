import * as Dialog from '@radix-ui/react-dialog'
import { useRef } from 'react'
import { useIsomorphicLayoutEffect } from './use-isomorphic-layout-effect.js'
import { resolveListLabel } from './connections-list-labels.js'
import type { ConnectionsListLabelContext, ConnectionsListLabels } from './connections-list-labels.js'
import type { ClassNameOf } from './connections-list-parts.js'
import type { DisconnectRequest } from './connections-list-row.js'

export interface DisconnectDialogProps {
  request: DisconnectRequest | null
  open: boolean
  count: number
  labels: ConnectionsListLabels
  className: ClassNameOf
  /** Where the dialog is portalled: the list's root, so its CSS variables and `data-theme` apply. */
  container: HTMLElement | null
  onCancel: () => void
  onConfirm: () => void
  /** Called once the dialog has closed, to put focus back where the user was. */
  onClosed: () => void
}

/**
 * "Disconnect Slack?" on Radix's Dialog: its focus scope keeps Tab inside, the rest of the page is
 * `aria-hidden` and does not scroll (styled or `unstyled` alike), and Escape, a click outside and
 * Cancel all cancel. Cancel has focus first; focus returns where the list says when it closes.
 */
export function DisconnectDialog(props: DisconnectDialogProps) {
  const { request, open, labels, className: cls } = props
  const cancelRef = useRef<HTMLButtonElement>(null)
  // The close callback runs after Radix's own close, so it reads the props of the last commit.
  const latest = useRef(props)
  useIsomorphicLayoutEffect(() => {
    latest.current = props
  })
  const shown = open && request !== null
  if (!request) return null

  const context: ConnectionsListLabelContext = {
    providerName: request.provider.name,
    error: null,
    connection: request.connection,
    connectionName: request.connectionName,
    date: null,
    count: props.count,
  }
  const label = (name: keyof ConnectionsListLabels) => resolveListLabel(labels[name], context)

  return (
    <Dialog.Root open={shown} onOpenChange={next => !next && props.onCancel()}>
      <Dialog.Portal container={props.container}>
        <Dialog.Overlay className={cls('overlay')} data-provider={request.provider.providerId} />
        <Dialog.Content
          className={cls('dialog')}
          aria-modal="true"
          data-provider={request.provider.providerId}
          // The safe choice first: Enter on an accidental open keeps the connection.
          onOpenAutoFocus={event => {
            event.preventDefault()
            cancelRef.current?.focus()
          }}
          onCloseAutoFocus={event => {
            event.preventDefault()
            // After the close's own render: a confirmed disconnect first swaps the row's buttons.
            setTimeout(() => latest.current.onClosed(), 0)
          }}
        >
          <Dialog.Title className={cls('dialogTitle')}>{label('dialogTitle')}</Dialog.Title>
          <Dialog.Description className={cls('dialogDescription')}>{label('dialogDescription')}</Dialog.Description>
          <div className={cls('dialogActions')}>
            <button ref={cancelRef} type="button" className={cls('dialogCancel')} onClick={props.onCancel}>
              {label('dialogCancel')}
            </button>
            <button type="button" className={cls('dialogConfirm')} data-action="confirm-disconnect" onClick={props.onConfirm}>
              {label('dialogConfirm')}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}
