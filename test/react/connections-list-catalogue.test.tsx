import { fireEvent, render, screen, within } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { SWRConfig } from 'swr'
import { describe, expect, it, vi } from 'vitest'
import { ConnectionsList, ConnectProvider, useProviders } from '../../src/index.js'
import type { ConnectionsListProps, PopupHandle, ProviderInfo } from '../../src/index.js'
import { createHttpBackend } from '../../src/core/index.js'
import { createMockBackend } from '../../src/testing/index.js'
import type { MockBackend, MockBackendOptions } from '../../src/testing/index.js'
import { axe } from '../axe.js'

const fakePopup = (): PopupHandle => ({ closed: false, focus() {}, close() {}, location: { replace() {} } })

type Entry = Partial<ProviderInfo> & { providerId: string }

const LOGO = 'data:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%2F%3E'

/** A catalogue of `count` providers: a few named ones, then filler in two categories. */
function catalogue(count: number): Entry[] {
  const named: Entry[] = [
    { providerId: 'slack', name: 'Slack', description: 'Post updates to channels.', categories: ['Communication'], logoUrl: LOGO },
    { providerId: 'github', name: 'GitHub', description: 'Issues and pull requests.', categories: ['Developer tools'], logoUrl: LOGO },
    { providerId: 'hubspot', name: 'HubSpot', description: 'Contacts and deals.', categories: ['CRM', 'Marketing'], logoUrl: null },
    { providerId: 'exa', name: 'Exa search', description: 'Web search.', categories: ['Search'], authMethods: [], requiresConnection: false },
  ]
  const filler = Array.from({ length: Math.max(0, count - named.length) }, (_, index): Entry => ({
    providerId: `tool-${index}`,
    name: `Tool ${index}`,
    description: 'Something useful.',
    categories: [index % 2 ? 'Productivity' : 'Storage'],
    logoUrl: LOGO,
  }))
  return [...named, ...filler].slice(0, count)
}

function setup(options: MockBackendOptions & { providers?: Entry[] } = {}, props: Partial<ConnectionsListProps> = {}) {
  const backend = createMockBackend(options)
  const user = userEvent.setup()
  const view = render(
    <SWRConfig value={{ provider: () => new Map(), shouldRetryOnError: false }}>
      <ConnectProvider backend={backend} environment={{ openWindow: fakePopup, openChannel: () => null }}>
        <ConnectionsList aria-label="Integrations" formatDate={date => date.toISOString().slice(0, 10)} {...props} />
      </ConnectProvider>
    </SWRConfig>,
  )
  return { backend, user, ...view }
}

const rowOf = (providerId: string) => {
  const item = document.querySelector<HTMLElement>(`li[data-provider="${providerId}"]`)
  if (!item) throw new Error(`No row for ${providerId}`)
  return item
}
const providerOrder = () => [...document.querySelectorAll('li[data-provider]')].map(item => item.getAttribute('data-provider'))

describe('ConnectionsList without providers: the catalogue', () => {
  it('given a catalogue, lists it with sized, lazy, decorative logos and a monogram where there is none', async () => {
    setup({ providers: catalogue(4) })
    expect(await screen.findByRole('button', { name: 'Connect Slack (opens in a new window)' })).toBeInTheDocument()
    const logo = rowOf('slack').querySelector('img')
    expect(logo).toHaveAttribute('src', LOGO)
    expect(logo).toHaveAttribute('width', '36')
    expect(logo).toHaveAttribute('height', '36')
    expect(logo).toHaveAttribute('loading', 'lazy')
    expect(logo).toHaveAttribute('alt', '')
    expect(rowOf('hubspot').querySelector('img')).toBeNull()
    expect(within(rowOf('hubspot')).getByText('H')).toBeInTheDocument()
    expect(within(rowOf('slack')).getByText('Post updates to channels.')).toBeInTheDocument()
    // Credentials at the deployment: nothing to connect.
    expect(rowOf('exa')).toHaveAttribute('data-state', 'available')
    expect(within(rowOf('exa')).queryByRole('button')).toBeNull()
    expect(await axe()).toEqual([])
  })

  it('when a logo fails to load, shows the monogram instead, without a broken image', async () => {
    setup({ providers: [{ providerId: 'gcal', name: 'Google Calendar', logoUrl: 'https://logos.example/broken.png' }] })
    await screen.findByRole('button', { name: 'Connect Google Calendar (opens in a new window)' })
    const logo = rowOf('gcal').querySelector('img') as HTMLImageElement
    fireEvent.error(logo)
    expect(rowOf('gcal').querySelector('img')).toBeNull()
    expect(within(rowOf('gcal')).getByText('GC')).toBeInTheDocument()
  })

  it('lists connected providers first, and keeps the order while the user works', async () => {
    const { user } = setup({ providers: catalogue(4), connections: [{ providerId: 'hubspot', name: 'Acme CRM' }] })
    await screen.findByRole('button', { name: 'Reconnect HubSpot (opens in a new window)' })
    expect(providerOrder()).toEqual(['hubspot', 'slack', 'github', 'exa'])
    await user.click(within(rowOf('hubspot')).getByRole('button', { name: 'Disconnect HubSpot' }))
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Disconnect' }))
    await vi.waitFor(() => expect(rowOf('hubspot')).toHaveAttribute('data-state', 'disconnected'))
    expect(providerOrder()).toEqual(['hubspot', 'slack', 'github', 'exa'])
  })

  it('below the threshold, shows no search box; above it, a labelled one', async () => {
    const small = setup({ providers: catalogue(8) })
    await screen.findByRole('button', { name: 'Connect Slack (opens in a new window)' })
    expect(screen.queryByRole('searchbox')).toBeNull()
    small.unmount()
    setup({ providers: catalogue(9) })
    expect(await screen.findByRole('searchbox', { name: 'Search integrations' })).toBeInTheDocument()
  })

  it('searches by name, description and category by keyboard alone, and announces the count', async () => {
    const { user } = setup({ providers: catalogue(40) })
    await screen.findByRole('button', { name: 'Connect Slack (opens in a new window)' })
    expect(screen.getAllByRole('listitem').filter(item => item.hasAttribute('data-provider'))).toHaveLength(40)
    await user.tab()
    const search = screen.getByRole('searchbox', { name: 'Search integrations' })
    expect(search).toHaveFocus()
    const announced = () => document.querySelector('[data-search-results]')?.textContent
    expect(announced()).toBe('')

    await user.keyboard('slack')
    expect(providerOrder()).toEqual(['slack'])
    expect(announced()).toBe('1 integration found')
    expect(document.querySelector('[data-search-results]')).toHaveAttribute('aria-live', 'polite')

    await user.clear(search)
    await user.keyboard('pull requests')
    expect(providerOrder()).toEqual(['github'])

    await user.clear(search)
    await user.keyboard('crm')
    expect(providerOrder()).toEqual(['hubspot'])

    await user.clear(search)
    await user.keyboard('storage')
    expect(providerOrder()).toHaveLength(18)
    expect(announced()).toBe('18 integrations found')

    await user.clear(search)
    await user.keyboard('zzz')
    expect(providerOrder()).toEqual([])
    expect(screen.getByText('No integrations match your search.')).toBeInTheDocument()
    expect(announced()).toBe('No integrations found')

    await user.keyboard('{Escape}')
    expect(search).toHaveValue('')
    expect(providerOrder()).toHaveLength(40)
    // Tab goes on to the chips, then to the rows.
    await user.tab()
    expect(screen.getByRole('button', { name: 'All' })).toHaveFocus()
    expect(await axe()).toEqual([])
  })

  it('filters by category chips, toggle buttons in a labelled group', async () => {
    const { user } = setup({ providers: catalogue(12) })
    await screen.findByRole('button', { name: 'Connect Slack (opens in a new window)' })
    const group = screen.getByRole('group', { name: 'Categories' })
    const chips = within(group).getAllByRole('button').map(chip => chip.textContent)
    expect(chips).toEqual(['All', 'Communication', 'Developer tools', 'CRM', 'Marketing', 'Search', 'Storage', 'Productivity'])
    const marketing = within(group).getByRole('button', { name: 'Marketing' })
    await user.click(marketing)
    expect(marketing).toHaveAttribute('aria-pressed', 'true')
    expect(within(group).getByRole('button', { name: 'All' })).toHaveAttribute('aria-pressed', 'false')
    expect(providerOrder()).toEqual(['hubspot'])
    // Space on the focused chip (a button) unselects it.
    marketing.focus()
    await user.keyboard(' ')
    expect(marketing).toHaveAttribute('aria-pressed', 'false')
    expect(providerOrder()).toHaveLength(12)
  })

  it('a providers function filters, orders and relabels the catalogue', async () => {
    setup(
      { providers: catalogue(4) },
      { providers: list => list.filter(item => item.providerId !== 'exa').reverse().map(item => (item.providerId === 'slack' ? { ...item, name: 'Team chat' } : item)) },
    )
    expect(await screen.findByRole('button', { name: 'Connect Team chat (opens in a new window)' })).toBeInTheDocument()
    expect(providerOrder()).toEqual(['hubspot', 'github', 'slack'])
    expect(rowOf('slack').querySelector('img')).toHaveAttribute('src', LOGO)
  })

  it('a providers array fetches no catalogue', async () => {
    const { backend } = setup({ providers: catalogue(4) }, { providers: [{ providerId: 'slack', name: 'Slack' }] })
    await screen.findByRole('button', { name: 'Connect Slack (opens in a new window)' })
    expect(backend.count('listProviders')).toBe(0)
  })

  it('connects with the catalogue entry’s deployment and auth method', async () => {
    const { backend, user } = setup({ providers: [{ providerId: 'slack', name: 'Slack', providerDeploymentId: 'pde_slack', authMethods: [{ id: 'pam_slack_oauth', type: 'oauth', name: 'OAuth' }] }] })
    await user.click(await screen.findByRole('button', { name: 'Connect Slack (opens in a new window)' }))
    await vi.waitFor(() => expect(backend.lastSession()).toBeDefined())
    expect(backend.calls.find(call => call.operation === 'createSetupSession')?.argument).toMatchObject({
      providerId: 'slack',
      providerDeploymentId: 'pde_slack',
      providerAuthMethodId: 'pam_slack_oauth',
    })
  })

  it('given a failed catalogue load, says so with Try again, which reloads it', async () => {
    const backend = createMockBackend({ providers: catalogue(2) })
    backend.failNext('listProviders', { status: 502, message: 'The connection service failed. Try again.' })
    const user = userEvent.setup()
    render(
      <SWRConfig value={{ provider: () => new Map(), shouldRetryOnError: false }}>
        <ConnectProvider backend={backend} environment={{ openWindow: fakePopup, openChannel: () => null }}>
          <ConnectionsList />
        </ConnectProvider>
      </SWRConfig>,
    )
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('Could not load the integrations: The connection service failed. Try again.')
    await user.click(within(alert).getByRole('button', { name: 'Try again' }))
    expect(await screen.findByRole('button', { name: 'Connect Slack (opens in a new window)' })).toBeInTheDocument()
  })
})

describe('ConnectionsList: accounts told apart', () => {
  const twoSlacks = (backendOptions: MockBackendOptions = {}) => ({
    providers: catalogue(2),
    connections: [
      { id: 'pac_a', providerId: 'slack', name: 'Slack account', label: 'acme-corp', createdAt: '2026-01-05T10:00:00Z' },
      { id: 'pac_b', providerId: 'slack', name: 'Slack account', description: 'design-team workspace', label: undefined, createdAt: '2026-02-01T10:00:00Z' },
    ],
    ...backendOptions,
  })

  it('lists each connection of a provider with its label, date and own Disconnect', async () => {
    setup(twoSlacks())
    await screen.findByRole('button', { name: 'Reconnect Slack (opens in a new window)' })
    const slack = rowOf('slack')
    await vi.waitFor(() => expect(slack).toHaveAttribute('data-state', 'connected'))
    expect(within(slack).getByText('2 accounts connected')).toBeInTheDocument()
    const items = within(slack).getAllByRole('listitem')
    expect(items.map(item => item.textContent)).toEqual([
      expect.stringContaining('acme-corp'),
      // Its label is missing, its name generic: the name still wins over the description.
      expect.stringContaining('Slack account'),
    ])
    expect(within(items[0] as HTMLElement).getByText('Since 2026-01-05')).toBeInTheDocument()
    expect(within(slack).getByRole('button', { name: 'Disconnect Slack (acme-corp)' })).toBeInTheDocument()
    expect(within(slack).getByRole('button', { name: 'Disconnect Slack (Slack account)' })).toBeInTheDocument()
  })

  it('connectionLabel names each account as the app knows it, in the rows and the dialog', async () => {
    const { user } = setup(twoSlacks(), { connectionLabel: connection => (connection.id === 'pac_b' ? 'Design team' : null) })
    await screen.findByRole('button', { name: 'Reconnect Slack (opens in a new window)' })
    const slack = rowOf('slack')
    await vi.waitFor(() => expect(slack).toHaveAttribute('data-state', 'connected'))
    expect(within(slack).getByRole('button', { name: 'Disconnect Slack (acme-corp)' })).toBeInTheDocument()
    await user.click(within(slack).getByRole('button', { name: 'Disconnect Slack (Design team)' }))
    expect(screen.getByRole('dialog', { name: 'Disconnect Slack?' })).toHaveTextContent('Your Slack account (Design team) will no longer be available here.')
    // Radix hides the rest of the page from assistive technology while it is open.
    expect(within(slack).queryByRole('button', { name: 'Disconnect Slack (acme-corp)' })).toBeNull()
  })

  it('shows the label of a single connection under the provider', async () => {
    setup({ providers: catalogue(2), connections: [{ providerId: 'github', name: 'octocat', createdAt: '2026-03-01T00:00:00Z' }] })
    await vi.waitFor(() => expect(rowOf('github')).toHaveAttribute('data-state', 'connected'))
    expect(within(rowOf('github')).getByText('octocat')).toBeInTheDocument()
    expect(within(rowOf('github')).getByText('Connected since 2026-03-01')).toBeInTheDocument()
  })

  it('offers Reconnect by default, and "Add another account" when allowMultipleAccounts is set', async () => {
    const first = setup(twoSlacks())
    expect(await screen.findByRole('button', { name: 'Reconnect Slack (opens in a new window)' })).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /Add another/ })).toBeNull()
    first.unmount()
    const { backend, user } = setup(twoSlacks(), { allowMultipleAccounts: true, pollInterval: 10 })
    const add = await screen.findByRole('button', { name: 'Add another account for Slack (opens in a new window)' })
    expect(add).toHaveTextContent('Add another account')
    // The accessible name contains the visible text (WCAG 2.5.3).
    expect(await axe()).toEqual([])
    await user.click(add)
    await vi.waitFor(() => expect(backend.lastSession()).toBeDefined())
    backend.complete(undefined, { name: 'marketing' })
    await vi.waitFor(() => expect(within(rowOf('slack')).getByText('3 accounts connected')).toBeInTheDocument())
  })
})

describe('useProviders and the HTTP backend', () => {
  it('reads GET {endpoint}/providers, snake_case accepted, images only as logos', async () => {
    const fetch = vi.fn(async () =>
      Response.json({
        items: [
          { provider_id: 'slack', provider_deployment_id: 'pde_1', name: 'Slack', logo_url: 'javascript:alert(1)', categories: ['Chat'], auth_methods: [{ id: 'pam_1', type: 'oauth', name: 'OAuth' }] },
          { providerId: 'notion', name: 'Notion', logoUrl: 'https://logos.example/notion.svg', requiresConnection: false },
        ],
      }),
    )
    const backend = createHttpBackend({ endpoint: '/api/connect', fetch: fetch as unknown as typeof globalThis.fetch })
    function Names() {
      const { providers } = useProviders()
      return <p>{providers?.map(item => `${item.name}:${item.logoUrl ?? 'none'}:${item.requiresConnection}:${item.providerDeploymentId}`).join(' ')}</p>
    }
    render(
      <SWRConfig value={{ provider: () => new Map() }}>
        <ConnectProvider backend={backend}>
          <Names />
          <Names />
        </ConnectProvider>
      </SWRConfig>,
    )
    expect(await screen.findAllByText('Slack:none:true:pde_1 Notion:https://logos.example/notion.svg:false:null')).toHaveLength(2)
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(String((fetch.mock.calls[0] as unknown[])[0])).toBe('/api/connect/providers')
  })

  it('with a backend that has no listProviders, fetches nothing and shows the empty state', async () => {
    const backend: MockBackend = createMockBackend()
    const { listProviders: _, ...withoutCatalogue } = backend
    render(
      <SWRConfig value={{ provider: () => new Map() }}>
        <ConnectProvider backend={{ ...withoutCatalogue, listConnections: backend.listConnections, createSetupSession: backend.createSetupSession, getSetupSession: backend.getSetupSession, removeConnection: backend.removeConnection }}>
          <ConnectionsList />
        </ConnectProvider>
      </SWRConfig>,
    )
    expect(await screen.findByText('No integrations to show.')).toBeInTheDocument()
  })
})

describe('the disconnect dialog (Radix)', () => {
  it.each([false, true])('with unstyled=%s, locks the page scroll, hides the rest and portals into the list', async unstyled => {
    const { user } = setup({ providers: catalogue(2), connections: [{ providerId: 'slack' }] }, { unstyled, classNames: { overlay: 'my-overlay', dialog: 'my-dialog' } })
    const button = await screen.findByRole('button', { name: 'Disconnect Slack' })
    await user.click(button)
    const dialog = screen.getByRole('dialog', { name: 'Disconnect Slack?' })
    expect(dialog).toHaveClass('my-dialog')
    expect(dialog.classList.contains('rpc-dialog')).toBe(!unstyled)
    const overlay = document.querySelector('.my-overlay')
    expect(overlay).not.toBeNull()
    const root = screen.getByLabelText('Integrations', { selector: 'div' })
    // Inside the list's root, so its CSS variables and data-theme reach the dialog.
    expect(root.contains(dialog)).toBe(true)
    expect(document.body).toHaveAttribute('data-scroll-locked')
    // Everything but the dialog and the live regions (which keep announcing) is hidden.
    expect(button.closest('[aria-hidden="true"]')).not.toBeNull()
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus()
    await user.keyboard('{Escape}')
    await vi.waitFor(() => expect(button).toHaveFocus())
    expect(document.body).not.toHaveAttribute('data-scroll-locked')
  })
})
