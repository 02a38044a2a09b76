import { fireEvent, render, screen, within } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { SWRConfig } from 'swr'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConnectionsList, ConnectProvider, ConnectError, useConnections } from '../../src/index.js'
import type { ConnectionsListProps, ConnectionsListProvider, FlowEnvironment, PopupHandle } from '../../src/index.js'
import { createMockBackend } from '../../src/testing/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import { axe } from '../axe.js'

const slack: ConnectionsListProvider = { providerId: 'slack', name: 'Slack', description: 'Messages and channels', icon: '#' }
const github: ConnectionsListProvider = { providerId: 'github', name: 'GitHub' }
const search: ConnectionsListProvider = { providerId: 'exa', name: 'Exa search', authRequired: false }
const providers = [slack, github, search]

const fakePopup = (): PopupHandle => ({ closed: false, focus() {}, close() {}, location: { replace() {} } })

function setup(
  backend: MockBackend,
  props: Partial<ConnectionsListProps> = {},
  environment: Partial<FlowEnvironment> = {},
  options: { timers?: boolean } = {},
) {
  const user = options.timers ? userEvent.setup({ advanceTimers: vi.advanceTimersByTime }) : userEvent.setup()
  const onConnected = vi.fn()
  const onDisconnected = vi.fn()
  const onError = vi.fn()
  const view = render(
    // A fresh SWR cache per test; no BroadcastChannel, so tests never hear each other.
    <SWRConfig value={{ provider: () => new Map(), shouldRetryOnError: false }}>
      <ConnectProvider backend={backend} environment={{ openWindow: fakePopup, openChannel: () => null, ...environment }}>
        <ConnectionsList
          providers={providers}
          pollInterval={10}
          onConnected={onConnected}
          onDisconnected={onDisconnected}
          onError={onError}
          formatDate={date => date.toISOString().slice(0, 10)}
          {...props}
        />
      </ConnectProvider>
    </SWRConfig>,
  )
  return { user, onConnected, onDisconnected, onError, ...view }
}

/** Text a sighted user sees: not the live regions' copies. */
const visibleOnly = 'script, style, [role="status"]'

const row = (providerId: string) => {
  const item = document.querySelector<HTMLElement>(`li[data-provider="${providerId}"]`)
  if (!item) throw new Error(`No row for ${providerId}`)
  return item
}

afterEach(() => {
  vi.useRealTimers()
})

describe('ConnectionsList states', () => {
  it('given a slow backend, shows a loading skeleton, then the rows', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const backend = createMockBackend({ latency: 1000 })
    setup(backend, {}, {}, { timers: true })
    expect(screen.getByRole('list')).toBeInTheDocument()
    expect(row('slack')).toHaveAttribute('data-state', 'loading')
    expect(row('slack')).toHaveAttribute('aria-busy', 'true')
    expect(row('exa')).toHaveAttribute('data-state', 'available')
    expect(within(row('slack')).queryByRole('button')).toBeNull()
    expect(screen.getAllByRole('status').some(node => node.textContent === 'Loading connections…')).toBe(true)
    expect(await axe()).toEqual([])
    await vi.advanceTimersByTimeAsync(1000)
    await vi.waitFor(() => expect(row('slack')).toHaveAttribute('data-state', 'disconnected'))
  })

  it('given redirect mode, its Connect buttons do not speak of a new window: the page itself moves on', async () => {
    setup(createMockBackend(), { mode: 'redirect' })
    expect(await screen.findByRole('button', { name: 'Connect Slack' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Connect GitHub' })).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /window/i })).not.toBeInTheDocument()
  })

  it('given no connections, offers Connect per provider and none for API-key providers', async () => {
    setup(createMockBackend())
    expect(await screen.findByRole('button', { name: 'Connect Slack (opens in a new window)' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Connect GitHub (opens in a new window)' })).toBeInTheDocument()
    expect(within(row('slack')).getByText('Not connected')).toBeInTheDocument()
    expect(within(row('slack')).getByText('Messages and channels')).toBeInTheDocument()
    expect(within(row('exa')).getByText('Available, no sign-in needed')).toBeInTheDocument()
    expect(within(row('exa')).queryByRole('button')).toBeNull()
    expect(screen.getAllByRole('listitem')).toHaveLength(3)
    expect(await axe()).toEqual([])
  })

  it('given connections, shows since when, Reconnect and Disconnect, and several connections of one provider', async () => {
    const backend = createMockBackend({
      connections: [
        { id: 'pac_1', providerId: 'slack', createdAt: '2025-03-04T10:00:00Z' },
        { id: 'pac_2', providerId: 'github', name: 'Work', createdAt: '2025-01-01T10:00:00Z' },
        { id: 'pac_3', providerId: 'github', name: 'Personal', createdAt: '2025-02-01T10:00:00Z' },
      ],
    })
    setup(backend)
    expect(await within(row('slack')).findByText('Connected since 2025-03-04')).toBeInTheDocument()
    expect(row('slack')).toHaveAttribute('data-state', 'connected')
    expect(screen.getByRole('button', { name: 'Reconnect Slack (opens in a new window)' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Disconnect Slack' })).toBeInTheDocument()
    expect(within(row('github')).getByText('2 accounts connected')).toBeInTheDocument()
    expect(within(row('github')).getByText('Work')).toBeInTheDocument()
    expect(within(row('github')).getByText('Since 2025-02-01')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Disconnect GitHub (Work)' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Disconnect GitHub (Personal)' })).toBeInTheDocument()
    expect(await axe()).toEqual([])
  })

  it('given an empty providers list, says there is nothing to show', async () => {
    setup(createMockBackend(), { providers: [] })
    expect(await screen.findByText('No integrations to show.')).toBeInTheDocument()
    expect(screen.queryByRole('list')).toBeNull()
    expect(await axe()).toEqual([])
  })

  it('when the connections cannot be loaded, shows the error with a retry that recovers', async () => {
    const backend = createMockBackend({ connections: [{ providerId: 'slack' }] })
    backend.failNext('listConnections', { status: 503, message: 'Service unavailable.' })
    const { user } = setup(backend)
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('Could not load your connections: Service unavailable.')
    expect(screen.queryByRole('list')).toBeNull()
    expect(await axe()).toEqual([])
    await user.click(within(alert).getByRole('button', { name: 'Try again' }))
    expect(await screen.findByRole('button', { name: 'Disconnect Slack' })).toBeInTheDocument()
    expect(screen.queryByRole('alert')).toBeNull()
  })
})

describe('ConnectionsList connecting', () => {
  it('when Connect is clicked, shows the live status, then the connection, and revalidates', async () => {
    const backend = createMockBackend()
    const { user, onConnected } = setup(backend)
    await user.click(await screen.findByRole('button', { name: 'Connect Slack (opens in a new window)' }))
    await vi.waitFor(() => expect(row('slack')).toHaveAttribute('data-state', 'connecting'))
    const status = within(row('slack')).getByRole('status')
    await vi.waitFor(() => expect(status).toHaveTextContent('Finish connecting in the Slack window.'))
    expect(within(row('slack')).getByRole('button', { name: 'Waiting for Slack… (opens in a new window)' })).toHaveAttribute('aria-busy', 'true')
    expect(within(row('slack')).getByRole('button', { name: 'Cancel connecting Slack' })).toBeInTheDocument()
    expect(await axe()).toEqual([])
    const before = backend.count('listConnections')
    const id = backend.complete()
    await vi.waitFor(() => expect(onConnected).toHaveBeenCalledWith(id, slack))
    await vi.waitFor(() => expect(row('slack')).toHaveAttribute('data-state', 'connected'))
    expect(status).toHaveTextContent('Slack connected.')
    expect(screen.getByRole('button', { name: 'Disconnect Slack' })).toBeInTheDocument()
    await vi.waitFor(() => expect(backend.count('listConnections')).toBe(before + 1))
    expect(onConnected).toHaveBeenCalledTimes(1)
  })

  it('keeps focus on the row button from Connect to Waiting to Reconnect', async () => {
    const backend = createMockBackend()
    const { user } = setup(backend)
    const button = await screen.findByRole('button', { name: 'Connect Slack (opens in a new window)' })
    await user.click(button)
    await vi.waitFor(() => expect(backend.sessions).toHaveLength(1))
    backend.complete()
    await vi.waitFor(() => expect(button).toHaveAccessibleName('Reconnect Slack (opens in a new window)'))
    expect(button).toHaveFocus()
  })

  it('right after a connect, Reconnect looks as it does after a reload: the same classes and data attributes', async () => {
    const backend = createMockBackend()
    const { user, unmount } = setup(backend)
    await user.click(await screen.findByRole('button', { name: 'Connect Slack (opens in a new window)' }))
    await vi.waitFor(() => expect(backend.sessions).toHaveLength(1))
    backend.complete()
    const attributesOf = (element: Element) => Object.fromEntries([...element.attributes].map(attribute => [attribute.name, attribute.value]))
    const afterConnect = attributesOf(await screen.findByRole('button', { name: 'Reconnect Slack (opens in a new window)' }))
    unmount()
    setup(backend)
    const afterReload = attributesOf(await screen.findByRole('button', { name: 'Reconnect Slack (opens in a new window)' }))
    expect(afterReload).toMatchObject({ class: 'rpc-button', 'data-action': 'reconnect', 'data-status': 'idle' })
    expect(afterConnect).toEqual(afterReload)
  })

  it('after a cancelled connect, Connect looks as it does after a reload', async () => {
    const backend = createMockBackend()
    const { user, unmount } = setup(backend)
    await user.click(await screen.findByRole('button', { name: 'Connect Slack (opens in a new window)' }))
    await user.click(await screen.findByRole('button', { name: 'Cancel connecting Slack' }))
    await vi.waitFor(() => expect(row('slack')).toHaveAttribute('data-state', 'disconnected'))
    const attributesOf = (element: Element) => Object.fromEntries([...element.attributes].map(attribute => [attribute.name, attribute.value]))
    const afterCancel = attributesOf(screen.getByRole('button', { name: 'Connect Slack (opens in a new window)' }))
    unmount()
    setup(backend)
    const afterReload = attributesOf(await screen.findByRole('button', { name: 'Connect Slack (opens in a new window)' }))
    expect(afterReload).toMatchObject({ 'data-action': 'connect', 'data-status': 'idle' })
    expect(afterCancel).toEqual(afterReload)
  })

  it('when the user denies access, shows an error state with retry and calls onError', async () => {
    const backend = createMockBackend()
    const { user, onError } = setup(backend)
    await user.click(await screen.findByRole('button', { name: 'Connect GitHub (opens in a new window)' }))
    await vi.waitFor(() => expect(backend.sessions).toHaveLength(1))
    backend.fail(undefined, 'The user denied access.')
    await vi.waitFor(() => expect(row('github')).toHaveAttribute('data-state', 'error'))
    expect(within(row('github')).getByText('GitHub was not connected: The user denied access.', { ignore: visibleOnly })).toBeInTheDocument()
    expect(within(row('github')).getByRole('status')).toHaveTextContent('GitHub was not connected: The user denied access.')
    expect(onError).toHaveBeenCalledWith(expect.any(ConnectError), github)
    expect(await axe()).toEqual([])
    await user.click(screen.getByRole('button', { name: 'Try again to connect GitHub (opens in a new window)' }))
    await vi.waitFor(() => expect(row('github')).toHaveAttribute('data-state', 'connecting'))
    expect(backend.sessions).toHaveLength(2)
  })

  it('when the popup is blocked, offers to continue in a new tab', async () => {
    const backend = createMockBackend()
    const popup = fakePopup()
    const openWindow = vi.fn<FlowEnvironment['openWindow']>().mockReturnValueOnce(null).mockReturnValue(popup)
    const { user } = setup(backend, {}, { openWindow })
    await user.click(await screen.findByRole('button', { name: 'Connect Slack (opens in a new window)' }))
    const link = await within(row('slack')).findByRole('link', { name: 'Continue in a new tab' })
    expect(within(row('slack')).getByText(/Your browser blocked the Slack window\./, { ignore: visibleOnly })).toBeInTheDocument()
    expect(link).toHaveAttribute('href', expect.stringContaining('https://consent.example.com'))
    // Nothing is open, so nothing says "waiting": the button opens the page (a fresh gesture).
    const open = within(row('slack')).getByRole('button', { name: 'Open Slack (opens in a new window)' })
    expect(open).not.toHaveAttribute('aria-busy')
    expect(within(row('slack')).queryByText(/Finish connecting/)).toBeNull()
    expect(await axe()).toEqual([])
    await user.click(link)
    expect(openWindow).toHaveBeenLastCalledWith(expect.stringContaining('https://consent.example.com'), expect.any(String), expect.any(String))
    await vi.waitFor(() => expect(screen.queryByRole('link', { name: 'Continue in a new tab' })).toBeNull())
  })

  it('passes list-wide flow options to every row', async () => {
    const backend = createMockBackend()
    const onEvent = vi.fn()
    const { user } = setup(backend, { redirectUrl: 'https://app.example.com/callback', onEvent })
    await user.click(await screen.findByRole('button', { name: 'Connect Slack (opens in a new window)' }))
    await vi.waitFor(() => expect(backend.sessions).toHaveLength(1))
    const created = backend.calls.find(call => call.operation === 'createSetupSession')?.argument as { redirectUrl?: string; providerId: string }
    expect(created.providerId).toBe('slack')
    expect(created.redirectUrl).toMatch(/^https:\/\/app\.example\.com\/callback\?/)
    expect(onEvent).toHaveBeenCalledWith(expect.objectContaining({ type: 'popup_opened', providerId: 'slack' }))
  })
})

describe('ConnectionsList disconnecting', () => {
  async function openDialog(backend: MockBackend, props: Partial<ConnectionsListProps> = {}, timers = false) {
    const result = setup(backend, props, {}, { timers })
    const button = await screen.findByRole('button', { name: 'Disconnect Slack' })
    await result.user.click(button)
    const dialog = await screen.findByRole('dialog', { name: 'Disconnect Slack?' })
    return { ...result, button, dialog }
  }

  it('asks first in a dialog that takes focus and names the provider', async () => {
    const backend = createMockBackend({ connections: [{ providerId: 'slack' }] })
    const { dialog } = await openDialog(backend)
    expect(dialog).toHaveAccessibleDescription(/Your Slack account will no longer be available here/)
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus()
    expect(within(dialog).getByRole('button', { name: 'Disconnect' })).toBeInTheDocument()
    expect(await axe()).toEqual([])
  })

  it('when Escape is pressed, cancels and returns focus to the row button', async () => {
    const backend = createMockBackend({ connections: [{ providerId: 'slack' }] })
    const { user, button } = await openDialog(backend)
    await user.keyboard('{Escape}')
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    await vi.waitFor(() => expect(button).toHaveFocus())
    expect(backend.count('removeConnection')).toBe(0)
    expect(row('slack')).toHaveAttribute('data-state', 'connected')
  })

  it('cancels on Escape wherever the key is pressed', async () => {
    const backend = createMockBackend({ connections: [{ providerId: 'slack' }] })
    const { button } = await openDialog(backend)
    fireEvent.keyDown(document.body, { key: 'Escape' })
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    await vi.waitFor(() => expect(button).toHaveFocus())
    expect(backend.count('removeConnection')).toBe(0)
  })

  it('keeps Tab inside the dialog, both ways', async () => {
    const backend = createMockBackend({ connections: [{ providerId: 'slack' }] })
    const { user, dialog } = await openDialog(backend)
    const cancel = within(dialog).getByRole('button', { name: 'Cancel' })
    const confirm = within(dialog).getByRole('button', { name: 'Disconnect' })
    expect(dialog).toHaveAttribute('aria-modal', 'true')
    await user.tab()
    expect(confirm).toHaveFocus()
    await user.tab()
    expect(cancel).toHaveFocus()
    await user.tab({ shift: true })
    expect(confirm).toHaveFocus()
    expect(backend.count('removeConnection')).toBe(0)
  })

  it('when the overlay around the panel is clicked, cancels; a click inside the panel does not', async () => {
    const backend = createMockBackend({ connections: [{ providerId: 'slack' }] })
    const { user, button, dialog } = await openDialog(backend)
    await user.click(within(dialog).getByText(/Your Slack account will no longer be available here/))
    expect(screen.getByRole('dialog')).toBe(dialog)
    // The overlay is the part around the panel (a sibling of the dialog in Radix's portal).
    const overlay = document.querySelector<HTMLElement>('.rpc-dialog-overlay')
    expect(overlay).not.toBeNull()
    await user.click(overlay as HTMLElement)
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    await vi.waitFor(() => expect(button).toHaveFocus())
    expect(backend.count('removeConnection')).toBe(0)
  })

  it('when Cancel is clicked, returns focus to the row button', async () => {
    const backend = createMockBackend({ connections: [{ providerId: 'slack' }] })
    const { user, button, dialog } = await openDialog(backend)
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))
    await vi.waitFor(() => expect(button).toHaveFocus())
    expect(backend.count('removeConnection')).toBe(0)
  })

  it('when confirmed, removes the connection at once, then reports it', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack' }] })
    const { user, dialog, onDisconnected } = await openDialog(backend, {}, true)
    backend.setLatency(1000)
    await user.click(within(dialog).getByRole('button', { name: 'Disconnect' }))
    expect(row('slack')).toHaveAttribute('data-state', 'disconnected')
    const connect = screen.getByRole('button', { name: 'Connect Slack (opens in a new window)' })
    await vi.waitFor(() => expect(connect).toHaveFocus())
    expect(onDisconnected).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1000)
    await vi.waitFor(() => expect(onDisconnected).toHaveBeenCalledWith('pac_1', slack))
    expect(backend.connections).toEqual([])
    await vi.waitFor(() => expect(screen.getAllByRole('status').map(node => node.textContent)).toContain('Slack disconnected.'))
    expect(await axe()).toEqual([])
  })

  it('when the backend refuses, rolls back and shows the error', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack' }] })
    const { user, dialog, onError, onDisconnected } = await openDialog(backend, {}, true)
    backend.setLatency(1000)
    backend.failNext('removeConnection', { status: 403, message: 'Not allowed.' })
    await user.click(within(dialog).getByRole('button', { name: 'Disconnect' }))
    expect(row('slack')).toHaveAttribute('data-state', 'disconnected')
    await vi.advanceTimersByTimeAsync(1000)
    await vi.waitFor(() => expect(row('slack')).toHaveAttribute('data-state', 'error'))
    expect(within(row('slack')).getByText('Could not disconnect Slack: Not allowed.')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Disconnect Slack' })).toBeInTheDocument()
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ status: 403 }), slack)
    expect(onDisconnected).not.toHaveBeenCalled()
    expect(backend.connections).toHaveLength(1)
    expect(await axe()).toEqual([])
  })

  it('is operable by keyboard alone, in a sensible tab order', async () => {
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack' }] })
    const { user, onDisconnected } = setup(backend)
    await screen.findByRole('button', { name: 'Disconnect Slack' })
    await user.tab()
    expect(screen.getByRole('button', { name: 'Reconnect Slack (opens in a new window)' })).toHaveFocus()
    await user.tab()
    expect(screen.getByRole('button', { name: 'Rename Slack account (slack)' })).toHaveFocus()
    await user.tab()
    expect(screen.getByRole('button', { name: 'Disconnect Slack' })).toHaveFocus()
    await user.tab()
    expect(screen.getByRole('button', { name: 'Connect GitHub (opens in a new window)' })).toHaveFocus()
    await user.tab({ shift: true })
    await user.keyboard('{Enter}')
    const dialog = await screen.findByRole('dialog')
    await user.tab()
    expect(within(dialog).getByRole('button', { name: 'Disconnect' })).toHaveFocus()
    await user.keyboard(' ')
    await vi.waitFor(() => expect(onDisconnected).toHaveBeenCalledWith('pac_1', slack))
    await vi.waitFor(() => expect(screen.getByRole('button', { name: 'Connect Slack (opens in a new window)' })).toHaveFocus())
  })
})

describe('ConnectionsList composition', () => {
  it('renders a custom row with the row state and actions, inside the list item', async () => {
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'github' }] })
    const { user } = setup(backend, {
      renderRow: ({ provider, state, connect, connections, requestDisconnect }) => (
        <div>
          <strong>{provider.name}</strong> is {state}
          {state === 'disconnected' && (
            <button type="button" onClick={connect}>
              Link {provider.name}
            </button>
          )}
          {connections.map(connection => (
            <button key={connection.id} type="button" onClick={event => requestDisconnect(connection, event.currentTarget)}>
              Unlink {provider.name}
            </button>
          ))}
        </div>
      ),
    })
    expect(await within(row('slack')).findByText(/is disconnected/)).toBeInTheDocument()
    expect(row('slack')).toHaveAttribute('data-state', 'disconnected')
    await user.click(screen.getByRole('button', { name: 'Link Slack' }))
    await vi.waitFor(() => expect(row('slack')).toHaveAttribute('data-state', 'connecting'))
    await user.click(screen.getByRole('button', { name: 'Unlink GitHub' }))
    expect(await screen.findByRole('dialog', { name: 'Disconnect GitHub?' })).toBeInTheDocument()
  })

  it('takes labels, class names per part, and unstyled', async () => {
    setup(createMockBackend(), {
      unstyled: true,
      className: 'my-list',
      classNames: { row: 'my-row', connectButton: 'my-button' },
      labels: { connect: 'Verbinden', connectLabel: ({ providerName }) => `${providerName} verbinden`, opensInNewWindow: '(neues Fenster)' },
    })
    const button = await screen.findByRole('button', { name: 'Slack verbinden (neues Fenster)' })
    expect(button).toHaveTextContent('Verbinden')
    expect(button).toHaveClass('my-button', { exact: true })
    expect(row('slack')).toHaveClass('my-row', { exact: true })
    expect(row('slack').closest('.my-list')).not.toBeNull()
    expect(document.querySelector('[class*="rpc-"]')).toBeNull()
  })

  it('shares one request with other users of the connections', async () => {
    const backend = createMockBackend()
    function Count() {
      const { connections } = useConnections()
      return <p>{connections ? `${connections.length} connected` : null}</p>
    }
    render(
      <SWRConfig value={{ provider: () => new Map() }}>
        <ConnectProvider backend={backend} environment={{ openWindow: fakePopup, openChannel: () => null }}>
          <Count />
          <ConnectionsList providers={providers} />
          <ConnectionsList providers={providers} />
        </ConnectProvider>
      </SWRConfig>,
    )
    expect(await screen.findByText('0 connected')).toBeInTheDocument()
    expect(backend.count('listConnections')).toBe(1)
  })
})
