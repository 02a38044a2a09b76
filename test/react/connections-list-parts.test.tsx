import { render, screen, within } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { createRef, useState } from 'react'
import type { ReactNode } from 'react'
import { SWRConfig } from 'swr'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConnectionsListRoot, ConnectionsListRow, ConnectionsListToolbar, ConnectProvider, DisconnectDialog } from '../../src/index.js'
import type { ConnectionsListProvider, ConnectionsListRootProps, PopupHandle } from '../../src/index.js'
import { createMockBackend } from '../../src/testing/index.js'
import type { MockBackend } from '../../src/testing/index.js'
import { axe } from '../axe.js'

const slack: ConnectionsListProvider = { providerId: 'slack', name: 'Slack', categories: ['Communication'] }
const github: ConnectionsListProvider = { providerId: 'github', name: 'GitHub', categories: ['Developer tools'] }
const linear: ConnectionsListProvider = { providerId: 'linear', name: 'Linear', categories: ['Developer tools'] }
const providers = [slack, github, linear]

const fakePopup = (): PopupHandle => ({ closed: false, focus() {}, close() {}, location: { replace() {} } })

function Harness({ backend, children }: { backend: MockBackend; children: ReactNode }) {
  return (
    // A fresh SWR cache per test; no BroadcastChannel, so tests never hear each other.
    <SWRConfig value={{ provider: () => new Map(), shouldRetryOnError: false }}>
      <ConnectProvider backend={backend} environment={{ openWindow: fakePopup, openChannel: () => null }}>
        {children}
      </ConnectProvider>
    </SWRConfig>
  )
}

/** A list of the app's own: a heading, the toolbar, rows grouped by category, the dialog. */
function GroupedList(props: Partial<ConnectionsListRootProps>) {
  const [query, setQuery] = useState('')
  const [category, setCategory] = useState<string | null>(null)
  const shown = providers.filter(item => item.name.toLowerCase().includes(query.toLowerCase()) && (category === null || item.categories?.includes(category)))
  const groups = [...new Set(shown.flatMap(item => item.categories ?? []))]
  return (
    <ConnectionsListRoot aria-labelledby="integrations" pollInterval={10} formatDate={date => date.toISOString().slice(0, 10)} {...props}>
      <h2 id="integrations">Your integrations</h2>
      <ConnectionsListToolbar
        query={query}
        onQueryChange={setQuery}
        categories={['Communication', 'Developer tools']}
        category={category}
        onCategoryChange={setCategory}
        resultCount={query || category ? shown.length : undefined}
      />
      {groups.map(group => (
        <section key={group} aria-label={group}>
          <ul>
            {shown
              .filter(item => item.categories?.includes(group))
              .map(item => (
                <ConnectionsListRow key={item.providerId} provider={item} className="card" />
              ))}
          </ul>
        </section>
      ))}
      <DisconnectDialog />
    </ConnectionsListRoot>
  )
}

const row = (providerId: string) => {
  const item = document.querySelector<HTMLElement>(`li[data-provider="${providerId}"]`)
  if (!item) throw new Error(`No row for ${providerId}`)
  return item
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('a list composed from its parts', () => {
  it('given a root, a toolbar, grouped rows and the dialog, shows each row with the root’s options and no axe violations', async () => {
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'github', createdAt: '2025-03-04T10:00:00Z' }] })
    render(
      <Harness backend={backend}>
        <GroupedList classNames={{ row: 'my-row' }} labels={{ connect: 'Link', connectLabel: ({ providerName }) => `Link ${providerName}` }} />
      </Harness>,
    )
    const root = screen.getByRole('heading', { name: 'Your integrations' }).parentElement as HTMLElement
    expect(root).toHaveAttribute('data-state', 'loading')
    expect(root).toHaveAttribute('aria-busy', 'true')
    expect(await screen.findByRole('button', { name: 'Link Slack (opens in a new window)' })).toHaveTextContent('Link')
    expect(root).toHaveAttribute('data-state', 'ready')
    expect(root).not.toHaveAttribute('aria-busy')
    expect(root).toHaveClass('rpc-connections', { exact: true })
    expect(within(screen.getByRole('region', { name: 'Developer tools' })).getAllByRole('listitem')).toHaveLength(2)
    expect(row('slack')).toHaveClass('rpc-row my-row card', { exact: true })
    expect(within(row('github')).getByText('Connected since 2025-03-04')).toBeInTheDocument()
    expect(screen.getByRole('searchbox', { name: 'Search integrations' })).toBeInTheDocument()
    expect(await axe()).toEqual([])
  })

  it('when Connect is clicked in a row, runs its flow with the root’s flow options and reports to the root’s callbacks', async () => {
    const backend = createMockBackend()
    const onConnected = vi.fn()
    const user = userEvent.setup()
    render(
      <Harness backend={backend}>
        <GroupedList onConnected={onConnected} redirectUrl="https://app.example.com/callback" />
      </Harness>,
    )
    await user.click(await screen.findByRole('button', { name: 'Connect Slack (opens in a new window)' }))
    await vi.waitFor(() => expect(backend.sessions).toHaveLength(1))
    const created = backend.calls.find(call => call.operation === 'createSetupSession')?.argument as { redirectUrl?: string }
    expect(created.redirectUrl).toMatch(/^https:\/\/app\.example\.com\/callback\?/)
    const id = backend.complete()
    await vi.waitFor(() => expect(onConnected).toHaveBeenCalledWith(id, slack))
    await vi.waitFor(() => expect(row('slack')).toHaveAttribute('data-state', 'connected'))
    expect(within(row('slack')).getByRole('status')).toHaveTextContent('Slack connected.')
  })

  it('when a row’s Disconnect is confirmed in the dialog, removes the connection, announces it and reports it', async () => {
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'github' }] })
    const onDisconnected = vi.fn()
    const user = userEvent.setup()
    render(
      <Harness backend={backend}>
        <GroupedList onDisconnected={onDisconnected} />
      </Harness>,
    )
    await user.click(await screen.findByRole('button', { name: 'Disconnect GitHub' }))
    const dialog = await screen.findByRole('dialog', { name: 'Disconnect GitHub?' })
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus()
    expect(await axe()).toEqual([])
    await user.click(within(dialog).getByRole('button', { name: 'Disconnect' }))
    await vi.waitFor(() => expect(onDisconnected).toHaveBeenCalledWith('pac_1', github))
    expect(row('github')).toHaveAttribute('data-state', 'disconnected')
    await vi.waitFor(() => expect(screen.getByRole('button', { name: 'Connect GitHub (opens in a new window)' })).toHaveFocus())
    await vi.waitFor(() => expect(screen.getAllByRole('status').map(node => node.textContent)).toContain('GitHub disconnected.'))
  })

  it('when the app’s search and chips change, the toolbar shows them and announces the count', async () => {
    const user = userEvent.setup()
    render(
      <Harness backend={createMockBackend()}>
        <GroupedList />
      </Harness>,
    )
    await screen.findByRole('button', { name: 'Connect Slack (opens in a new window)' })
    await user.type(screen.getByRole('searchbox', { name: 'Search integrations' }), 'lin')
    expect(screen.getAllByRole('listitem').map(item => item.getAttribute('data-provider'))).toEqual(['linear'])
    expect(document.querySelector('[data-search-results]')).toHaveTextContent('1 integration found')
    await user.keyboard('{Escape}')
    expect(screen.getAllByRole('listitem')).toHaveLength(3)
    const chips = screen.getByRole('group', { name: 'Categories' })
    await user.click(within(chips).getByRole('button', { name: 'Communication' }))
    expect(within(chips).getByRole('button', { name: 'Communication' })).toHaveAttribute('aria-pressed', 'true')
    expect(screen.getAllByRole('listitem').map(item => item.getAttribute('data-provider'))).toEqual(['slack'])
    expect(await axe()).toEqual([])
  })

  it('gives each part’s ref its element, and the consumer’s attributes after the defaults', async () => {
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack' }] })
    const refs = { root: createRef<HTMLDivElement>(), row: createRef<HTMLLIElement>(), toolbar: createRef<HTMLDivElement>(), dialog: createRef<HTMLDivElement>() }
    const user = userEvent.setup()
    render(
      <Harness backend={backend}>
        <ConnectionsListRoot ref={refs.root} id="integrations" data-state="mine" unstyled>
          <ConnectionsListToolbar ref={refs.toolbar} query="" onQueryChange={() => {}} className="my-toolbar" />
          <ul>
            <ConnectionsListRow ref={refs.row} provider={slack} data-testid="slack-row" />
          </ul>
          <DisconnectDialog ref={refs.dialog} className="my-dialog" />
        </ConnectionsListRoot>
      </Harness>,
    )
    await user.click(await screen.findByRole('button', { name: 'Disconnect Slack' }))
    const dialog = await screen.findByRole('dialog', { name: 'Disconnect Slack?' })
    expect(refs.root.current).toHaveAttribute('id', 'integrations')
    expect(refs.root.current).toHaveAttribute('data-state', 'mine')
    expect(refs.root.current).not.toHaveAttribute('class')
    expect(refs.toolbar.current).toHaveClass('my-toolbar', { exact: true })
    expect(refs.row.current).toBe(screen.getByTestId('slack-row'))
    expect(refs.row.current).toHaveAttribute('data-state', 'connected')
    expect(refs.dialog.current).toBe(dialog)
    expect(dialog).toHaveClass('my-dialog', { exact: true })
    // Portalled into the root, so the root's CSS variables and data-theme reach it.
    expect(refs.root.current?.contains(dialog)).toBe(true)
  })

  it('given its own connections, a row shows those instead of the list’s, without waiting for the list’s', async () => {
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack' }] })
    render(
      <Harness backend={backend}>
        <ConnectionsListRoot>
          <ul>
            <ConnectionsListRow provider={slack} connections={[]} />
            <ConnectionsListRow provider={github} connections={[{ id: 'pac_2', providerId: 'github', name: 'Work' }]} />
          </ul>
        </ConnectionsListRoot>
      </Harness>,
    )
    expect(row('github')).toHaveAttribute('data-state', 'connected')
    expect(row('slack')).toHaveAttribute('data-state', 'disconnected')
    expect(await screen.findByRole('button', { name: 'Disconnect GitHub' })).toBeInTheDocument()
    expect(within(row('github')).getByText('Work')).toBeInTheDocument()
    expect(row('slack')).toHaveAttribute('data-state', 'disconnected')
    expect(within(row('slack')).queryByRole('button', { name: 'Disconnect Slack' })).toBeNull()
  })

  it('given connections that cannot be loaded, the root says error', async () => {
    const backend = createMockBackend()
    backend.failNext('listConnections', { status: 503, message: 'Service unavailable.' })
    const { container } = render(
      <Harness backend={backend}>
        <ConnectionsListRoot />
      </Harness>,
    )
    await vi.waitFor(() => expect(container.firstElementChild).toHaveAttribute('data-state', 'error'))
    expect(container.firstElementChild).not.toHaveAttribute('aria-busy')
  })
})

describe('a part outside ConnectionsListRoot', () => {
  it.each([
    ['ConnectionsListRow', <ConnectionsListRow provider={slack} />],
    ['ConnectionsListToolbar', <ConnectionsListToolbar query="" onQueryChange={() => {}} />],
    ['DisconnectDialog', <DisconnectDialog />],
  ])('throws: `%s` must be used within `<ConnectionsListRoot>`', (name, part) => {
    // React reports the error it rethrows (React 18 through window's error event too); the assertion is on the error itself.
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const quiet = (event: ErrorEvent) => event.preventDefault()
    window.addEventListener('error', quiet)
    try {
      expect(() => render(<Harness backend={createMockBackend()}>{part}</Harness>)).toThrow(`\`${name}\` must be used within \`<ConnectionsListRoot>\`.`)
    } finally {
      window.removeEventListener('error', quiet)
    }
  })
})
