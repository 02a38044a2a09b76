import * as Dialog from '@radix-ui/react-dialog'
import { clsx } from 'clsx'
import { forwardRef, useRef } from 'react'
import type { HTMLAttributes } from 'react'
import { useConnectionsListContext } from './connections-list-context.js'
import { resolveListLabel } from './connections-list-labels.js'
import type { ConnectionsListLabelContext, ConnectionsListLabels } from './connections-list-labels.js'
import { useIsomorphicLayoutEffect } from './use-isomorphic-layout-effect.js'

/** `DisconnectDialog`'s props: attributes for its panel (role `dialog`); the question comes from the list. */
export type DisconnectDialogProps = Omit<HTMLAttributes<HTMLDivElement>, 'children'>

/**
 * "Disconnect Slack?", asked when a row's Disconnect is pressed, inside `ConnectionsListRoot`. On
 * Radix's Dialog: its focus scope keeps Tab inside, the rest of the page is `aria-hidden` and does
 * not scroll (styled or `unstyled` alike), and Escape, a click outside and Cancel all cancel. Cancel
 * has focus first; focus returns where the row says when it closes.
 */
export const DisconnectDialog = /* @__PURE__ */ forwardRef<HTMLDivElement, DisconnectDialogProps>(function DisconnectDialog({ className, ...attributes }, ref) {
  const list = useConnectionsListContext('DisconnectDialog')
  const { request, cls } = list
  const cancelRef = useRef<HTMLButtonElement>(null)
  // The close callback runs after Radix's own close, so it reads the list of the last commit.
  const latest = useRef(list)
  useIsomorphicLayoutEffect(() => {
    latest.current = list
  })
  if (!request) return null

  const context: ConnectionsListLabelContext = {
    providerName: request.provider.name,
    error: null,
    connection: request.connection,
    connectionName: request.connectionName,
    date: null,
    count: list.connectionsOf(request.provider.providerId).length,
  }
  const label = (name: keyof ConnectionsListLabels) => resolveListLabel(list.labels[name], context)

  return (
    <Dialog.Root open={list.open} onOpenChange={next => !next && list.cancel()}>
      <Dialog.Portal container={list.container}>
        <Dialog.Overlay className={cls('overlay')} data-provider={request.provider.providerId} />
        <Dialog.Content
          aria-modal="true"
          data-provider={request.provider.providerId}
          {...attributes}
          ref={ref}
          className={clsx(cls('dialog'), className) || undefined}
          // The safe choice first: Enter on an accidental open keeps the connection.
          onOpenAutoFocus={event => {
            event.preventDefault()
            cancelRef.current?.focus()
          }}
          onCloseAutoFocus={event => {
            event.preventDefault()
            // After the close's own render: a confirmed disconnect first swaps the row's buttons.
            setTimeout(() => latest.current.closed(), 0)
          }}
        >
          <Dialog.Title className={cls('dialogTitle')}>{label('dialogTitle')}</Dialog.Title>
          <Dialog.Description className={cls('dialogDescription')}>{label('dialogDescription')}</Dialog.Description>
          <div className={cls('dialogActions')}>
            <button ref={cancelRef} type="button" className={cls('dialogCancel')} onClick={list.cancel}>
              {label('dialogCancel')}
            </button>
            <button type="button" className={cls('dialogConfirm')} data-action="confirm-disconnect" onClick={list.confirm}>
              {label('dialogConfirm')}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  )
})
