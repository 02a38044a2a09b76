import * as Dialog from '@radix-ui/react-dialog'
import { resolveListLabel } from './connections-list-labels.js'
import type { ConnectionsListLabelContext, ConnectionsListLabels } from './connections-list-labels.js'
import type { ClassNameOf } from './connections-list-parts.js'
import type { DisconnectRequest } from './connections-list-row.js'

export interface DisconnectDialogProps {
  /** Kept after closing, so the content stays right during an exit animation. */
  request: DisconnectRequest | null
  open: boolean
  count: number
  labels: ConnectionsListLabels
  className: ClassNameOf
  /** Inside the list, so the list's CSS variables and `data-theme` reach the dialog. */
  container: HTMLElement | null
  onCancel: () => void
  onConfirm: () => void
  onCloseAutoFocus: (event: Event) => void
}

/** "Disconnect Slack?": a modal Radix Dialog; Escape, the overlay and Cancel all cancel. */
export function DisconnectDialog(props: DisconnectDialogProps) {
  const { request, open, labels, className: cls } = props
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
    <Dialog.Root open={open} onOpenChange={next => !next && props.onCancel()}>
      <Dialog.Portal container={props.container}>
        <Dialog.Overlay className={cls('overlay')} />
        <Dialog.Content
          className={cls('dialog')}
          data-provider={request.provider.providerId}
          onCloseAutoFocus={props.onCloseAutoFocus}
        >
          <Dialog.Title className={cls('dialogTitle')}>{label('dialogTitle')}</Dialog.Title>
          <Dialog.Description className={cls('dialogDescription')}>{label('dialogDescription')}</Dialog.Description>
          <div className={cls('dialogActions')}>
            <Dialog.Close className={cls('dialogCancel')}>{label('dialogCancel')}</Dialog.Close>
            <button type="button" className={cls('dialogConfirm')} data-action="confirm-disconnect" onClick={props.onConfirm}>
              {label('dialogConfirm')}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
}
