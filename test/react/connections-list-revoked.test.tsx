import { render, screen, within } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { SWRConfig } from 'swr'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConnectionsList, ConnectionsListRoot, ConnectionsListRow, ConnectProvider, DisconnectDialog } from '../../src/index.js'
import type { ConnectionsListProps, ConnectionsListProvider, PopupHandle } from '../../src/index.js'
import { createMockBackend } from '../../src/testing/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import { axe } from '../axe.js'

/**
 * A revoked account in `ConnectionsList`: the provider's side dropped it (archived or deleted), the
 * row says so and offers Reconnect first, which reconnects in place: the new connection replaces
 * the old one and keeps its name.
 */
const slack: ConnectionsListProvider = { providerId: 'slack', name: 'Slack' }
const github: ConnectionsListProvider = { providerId: 'github', name: 'GitHub' }
const providers = [slack, github]

const fakePopup = (): PopupHandle => ({ closed: false, focus() {}, close() {}, location: { replace() {} } })

function setup(backend: MockBackend, props: Partial<ConnectionsListProps> = {}) {
  const user = userEvent.setup()
  const onConnected = vi.fn()
  const view = render(
    // A fresh SWR cache per test; no BroadcastChannel, so tests never hear each other.
    <SWRConfig value={{ provider: () => new Map(), shouldRetryOnError: false }}>
      <ConnectProvider backend={backend} environment={{ openWindow: fakePopup, openChannel: () => null }}>
        <ConnectionsList providers={providers} pollInterval={10} onConnected={onConnected} formatDate={date => date.toISOString().slice(0, 10)} {...props} />
      </ConnectProvider>
    </SWRConfig>,
  )
  return { user, onConnected, ...view }
}

const row = (providerId: string) => {
  const item = document.querySelector<HTMLElement>(`li[data-provider="${providerId}"]`)
  if (!item) throw new Error(`No row for ${providerId}`)
  return item
}

/** Text a sighted user sees: not the live regions' copies. */
const visibleOnly = 'script, style, [role="status"]'

const revokedSlack = { id: 'pac_old', providerId: 'slack', name: 'Work Slack', status: 'revoked', revokedAt: '2026-02-01T09:00:00Z', createdAt: '2025-06-01T09:00:00Z' }

afterEach(() => {
  vi.useRealTimers()
})

describe('ConnectionsList, a revoked account', () => {
  it('says so in words and in data-state, offers Reconnect first (a real, primary button) and keeps Disconnect', async () => {
    const backend = createMockBackend({ connections: [revokedSlack] })
    const { user } = setup(backend)
    expect(await within(row('slack')).findByText('Disconnected on 2026-02-01 — reconnect to use it again', { ignore: visibleOnly })).toBeInTheDocument()
    expect(row('slack')).toHaveAttribute('data-state', 'revoked')
    expect(within(row('slack')).getByText('Work Slack')).toBeInTheDocument()
    const reconnect = within(row('slack')).getByRole('button', { name: 'Reconnect Slack (opens in a new window)' })
    expect(reconnect.tagName).toBe('BUTTON')
    expect(reconnect).toHaveAttribute('data-action', 'reconnect')
    expect(reconnect).toHaveClass('rpc-button', { exact: true })
    expect(within(row('slack')).getByRole('button', { name: 'Disconnect Slack' })).toBeInTheDocument()
    // Reconnect first, the name is kept by the server: nothing to rename until then.
    expect(within(row('slack')).queryByRole('button', { name: /^Rename/ })).toBeNull()
    await user.tab()
    expect(reconnect).toHaveFocus()
    expect(await axe()).toEqual([])
  })

  it('without a revokedAt, says it without a date; an active account next to it stays connected', async () => {
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack' }] })
    backend.respondNext('listConnections', [
      { id: 'pac_1', providerId: 'slack', status: 'revoked' },
      { id: 'pac_2', providerId: 'github', status: 'active' },
    ])
    setup(backend)
    expect(await within(row('slack')).findByText('Disconnected — reconnect to use it again', { ignore: visibleOnly })).toBeInTheDocument()
    expect(row('github')).toHaveAttribute('data-state', 'connected')
  })

  it('Reconnect sends replacesConnectionId and ends with one account: the old name, a new id', async () => {
    const backend = createMockBackend({ connections: [revokedSlack] })
    const { user, onConnected } = setup(backend)
    await user.click(await within(row('slack')).findByRole('button', { name: 'Reconnect Slack (opens in a new window)' }))
    await vi.waitFor(() => expect(backend.sessions).toHaveLength(1))
    const created = backend.calls.find(call => call.operation === 'createSetupSession')?.argument
    expect(created).toMatchObject({ providerId: 'slack', replacesConnectionId: 'pac_old' })
    expect(row('slack')).toHaveAttribute('data-state', 'connecting')
    const lists = backend.count('listConnections')
    const id = backend.complete()
    expect(id).not.toBe('pac_old')
    await vi.waitFor(() => expect(onConnected).toHaveBeenCalledWith(id, slack))
    // At once, before the reload: one account in the old one's place, never two.
    expect(row('slack')).toHaveAttribute('data-state', 'connected')
    expect(within(row('slack')).getAllByRole('button', { name: /^Disconnect/ })).toHaveLength(1)
    expect(within(row('slack')).getByText('Work Slack')).toBeInTheDocument()
    await vi.waitFor(() => expect(backend.count('listConnections')).toBe(lists + 1))
    expect(backend.connections).toEqual([expect.objectContaining({ id, providerId: 'slack', name: 'Work Slack', status: 'active' })])
    await vi.waitFor(() => expect(within(row('slack')).getByText(/^Connected since/)).toBeInTheDocument())
    expect(within(row('slack')).getByText('Work Slack')).toBeInTheDocument()
    expect(within(row('slack')).queryByText(/reconnect to use it again/)).toBeNull()
    expect(within(row('slack')).getByRole('status')).toHaveTextContent('Slack connected.')
    expect(onConnected).toHaveBeenCalledTimes(1)
    expect(await axe()).toEqual([])
  })

  it('with allowMultipleAccounts, a lone revoked account still reconnects in place', async () => {
    const backend = createMockBackend({ connections: [revokedSlack] })
    const { user } = setup(backend, { allowMultipleAccounts: true })
    await user.click(await within(row('slack')).findByRole('button', { name: 'Reconnect Slack (opens in a new window)' }))
    await vi.waitFor(() => expect(backend.sessions).toHaveLength(1))
    expect(backend.calls.find(call => call.operation === 'createSetupSession')?.argument).toMatchObject({ replacesConnectionId: 'pac_old' })
  })

  it('a connect that is not a reconnect sends no replacesConnectionId', async () => {
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack' }] })
    const { user } = setup(backend)
    await user.click(await within(row('slack')).findByRole('button', { name: 'Reconnect Slack (opens in a new window)' }))
    await user.click(within(row('github')).getByRole('button', { name: 'Connect GitHub (opens in a new window)' }))
    await vi.waitFor(() => expect(backend.sessions).toHaveLength(2))
    for (const call of backend.calls.filter(item => item.operation === 'createSetupSession')) expect(call.argument).not.toHaveProperty('replacesConnectionId')
  })

  it('when the backend refuses the reconnect (the connection is not the user’s), shows the error on the row', async () => {
    const backend = createMockBackend({ connections: [revokedSlack] })
    backend.failNext('createSetupSession', { status: 404, code: 'connection_not_found', message: 'Connection not found.' })
    const { user } = setup(backend)
    await user.click(await within(row('slack')).findByRole('button', { name: 'Reconnect Slack (opens in a new window)' }))
    await vi.waitFor(() => expect(row('slack')).toHaveAttribute('data-state', 'error'))
    expect(within(row('slack')).getByText('Could not connect Slack: Connection not found.', { ignore: visibleOnly })).toBeInTheDocument()
    // Try again still reconnects the same account in place.
    await user.click(within(row('slack')).getByRole('button', { name: 'Try again to connect Slack (opens in a new window)' }))
    await vi.waitFor(() => expect(backend.sessions).toHaveLength(1))
    expect(backend.calls.filter(call => call.operation === 'createSetupSession').map(call => (call.argument as { replacesConnectionId?: string }).replacesConnectionId)).toEqual(['pac_old', 'pac_old'])
  })

  it('among several accounts, marks the revoked one, gives it its own Reconnect, and replaces only it', async () => {
    const backend = createMockBackend({
      connections: [
        { id: 'pac_work', providerId: 'github', name: 'Work', createdAt: '2025-01-01T10:00:00Z' },
        { id: 'pac_home', providerId: 'github', name: 'Personal', status: 'revoked', revokedAt: '2026-03-03T10:00:00Z', createdAt: '2025-02-01T10:00:00Z' },
      ],
    })
    const { user } = setup(backend)
    const revoked = await vi.waitFor(() => {
      const item = row('github').querySelector<HTMLElement>('[data-connection-id="pac_home"]')
      if (!item) throw new Error('not yet')
      return item
    })
    expect(row('github')).toHaveAttribute('data-state', 'connected')
    expect(revoked).toHaveAttribute('data-state', 'revoked')
    expect(row('github').querySelector('[data-connection-id="pac_work"]')).toHaveAttribute('data-state', 'connected')
    expect(within(revoked).getByText('Disconnected on 2026-03-03 — reconnect to use it again')).toBeInTheDocument()
    const reconnect = within(revoked).getByRole('button', { name: 'Reconnect GitHub (Personal) (opens in a new window)' })
    expect(within(revoked).getByRole('button', { name: 'Disconnect GitHub (Personal)' })).toBeInTheDocument()
    expect(within(row('github').querySelector<HTMLElement>('[data-connection-id="pac_work"]') as HTMLElement).queryByRole('button', { name: /^Reconnect/ })).toBeNull()
    expect(await axe()).toEqual([])
    await user.click(reconnect)
    await vi.waitFor(() => expect(backend.sessions).toHaveLength(1))
    expect(backend.calls.find(call => call.operation === 'createSetupSession')?.argument).toMatchObject({ providerId: 'github', replacesConnectionId: 'pac_home' })
    const id = backend.complete()
    await vi.waitFor(() => expect(row('github').querySelector(`[data-connection-id="${id}"]`)).not.toBeNull())
    expect([...row('github').querySelectorAll('[data-connection-id]')].map(item => item.getAttribute('data-connection-id'))).toEqual(['pac_work', id])
    expect(within(row('github')).getByText('Personal')).toBeInTheDocument()
    expect(row('github').querySelector('[data-state="revoked"]')).toBeNull()
    expect(backend.connections.map(item => [item.id, item.name, item.status])).toEqual([
      ['pac_work', 'Work', 'active'],
      [id, 'Personal', 'active'],
    ])
  })

  it('among several accounts, Try again after a failed reconnect still replaces that account', async () => {
    const backend = createMockBackend({
      connections: [
        { id: 'pac_work', providerId: 'github', name: 'Work' },
        { id: 'pac_home', providerId: 'github', name: 'Personal', status: 'revoked' },
      ],
    })
    const { user } = setup(backend)
    await user.click(await screen.findByRole('button', { name: 'Reconnect GitHub (Personal) (opens in a new window)' }))
    await vi.waitFor(() => expect(backend.sessions).toHaveLength(1))
    backend.fail(undefined, 'The user denied access.')
    await vi.waitFor(() => expect(row('github')).toHaveAttribute('data-state', 'error'))
    await user.click(within(row('github')).getByRole('button', { name: 'Try again to connect GitHub (opens in a new window)' }))
    await vi.waitFor(() => expect(backend.sessions).toHaveLength(2))
    const replaced = backend.calls.filter(call => call.operation === 'createSetupSession').map(call => (call.argument as { replacesConnectionId?: string }).replacesConnectionId)
    expect(replaced).toEqual(['pac_home', 'pac_home'])
  })

  it('a connection revoked after the page loaded shows as such at the next load', async () => {
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack', name: 'Work Slack' }] })
    const { user } = setup(backend)
    await within(row('slack')).findByRole('button', { name: 'Disconnect Slack' })
    expect(row('slack')).toHaveAttribute('data-state', 'connected')
    backend.revoke('pac_1')
    // Any reload shows it: here, a connect elsewhere on the page.
    await user.click(within(row('github')).getByRole('button', { name: 'Connect GitHub (opens in a new window)' }))
    await vi.waitFor(() => expect(backend.sessions).toHaveLength(1))
    backend.complete()
    await vi.waitFor(() => expect(row('slack')).toHaveAttribute('data-state', 'revoked'))
    expect(within(row('slack')).getByText(/^Disconnected on \d{4}-\d{2}-\d{2} — reconnect to use it again$/, { ignore: visibleOnly })).toBeInTheDocument()
  })

  it('works the same in a list made of parts', async () => {
    const backend = createMockBackend({ connections: [revokedSlack] })
    const user = userEvent.setup()
    render(
      <SWRConfig value={{ provider: () => new Map(), shouldRetryOnError: false }}>
        <ConnectProvider backend={backend} environment={{ openWindow: fakePopup, openChannel: () => null }}>
          <ConnectionsListRoot pollInterval={10}>
            <ul>
              <ConnectionsListRow provider={slack} />
            </ul>
            <DisconnectDialog />
          </ConnectionsListRoot>
        </ConnectProvider>
      </SWRConfig>,
    )
    await user.click(await within(row('slack')).findByRole('button', { name: 'Reconnect Slack (opens in a new window)' }))
    expect(row('slack')).not.toHaveAttribute('data-state', 'revoked')
    await vi.waitFor(() => expect(backend.sessions).toHaveLength(1))
    expect(backend.calls.find(call => call.operation === 'createSetupSession')?.argument).toMatchObject({ replacesConnectionId: 'pac_old' })
    const id = backend.complete()
    await vi.waitFor(() => expect(backend.connections.map(item => item.id)).toEqual([id]))
    await vi.waitFor(() => expect(row('slack')).toHaveAttribute('data-state', 'connected'))
    expect(within(row('slack')).getByText('Work Slack')).toBeInTheDocument()
    expect(screen.getAllByRole('button', { name: /^Disconnect/ })).toHaveLength(1)
  })

  it('hands reconnect(connection) to a custom row', async () => {
    const backend = createMockBackend({ connections: [revokedSlack] })
    const { user } = setup(backend, {
      renderRow: ({ provider, state, connections, reconnect }) =>
        connections.map(connection => (
          <button key={connection.id} type="button" onClick={() => reconnect(connection)}>
            {state === 'revoked' ? `Restore ${provider.name}` : provider.name}
          </button>
        )),
    })
    await user.click(await screen.findByRole('button', { name: 'Restore Slack' }))
    await vi.waitFor(() => expect(backend.sessions).toHaveLength(1))
    expect(backend.calls.find(call => call.operation === 'createSetupSession')?.argument).toMatchObject({ replacesConnectionId: 'pac_old' })
  })
})
