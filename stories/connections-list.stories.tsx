import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn, waitFor, within } from 'storybook/test'
import { ConnectionsList } from '../src/index.js'
import type { ConnectionsListProvider } from '../src/index.js'
import { createMockBackend } from '../src/testing/index.js'
import type { MockBackendOptions } from '../src/testing/index.js'
import { createFakePopup, mockConnectOf, withMockList } from './mock-connect.js'
import type { MockConnectLoaded } from './mock-connect.js'
import { STORY_CATALOGUE } from './catalogue.js'

/** Story parameters read by this file's loader. */
interface ListStoryParameters {
  /** The mock backend's options. Defaults to a 300 ms latency and no connections. */
  mockBackend?: MockBackendOptions
  /** The first `GET connections` fails with a 503. Defaults to `false`. */
  failList?: boolean
}

/** One fresh mock backend per story render, made by a loader so play functions script the same one. */
function loadListMock(parameters: { connectionsList?: ListStoryParameters }): MockConnectLoaded {
  const { mockBackend = { latency: 300 }, failList = false } = parameters.connectionsList ?? {}
  const mock = createMockBackend(mockBackend)
  if (failList) mock.failNext('listConnections', { status: 503, message: 'The service is unavailable. Try again in a moment.' })
  return { mock, environment: { openWindow: () => createFakePopup() } }
}

const logo = (text: string, background: string) => (
  <svg viewBox="0 0 24 24" width="24" height="24" role="presentation">
    <rect width="24" height="24" rx="6" fill={background} />
    <text x="12" y="16.5" textAnchor="middle" fontSize="12" fontWeight="700" fill="#fff" fontFamily="system-ui, sans-serif">
      {text}
    </text>
  </svg>
)

const providers: ConnectionsListProvider[] = [
  { providerId: 'slack', name: 'Slack', description: 'Post messages and read channels.', icon: logo('S', '#4a154b') },
  { providerId: 'github', name: 'GitHub', description: 'Issues, pull requests and repositories.', icon: logo('G', '#24292f') },
  { providerId: 'google-calendar', name: 'Google Calendar', description: 'Read and create events.', icon: logo('C', '#1a73e8') },
  { providerId: 'linear', name: 'Linear', description: 'Track issues and projects.', icon: logo('L', '#5e6ad2') },
  { providerId: 'exa', name: 'Exa search', description: 'Web search; the key lives at the deployment.', icon: logo('E', '#1f6feb'), authRequired: false },
]

const day = 24 * 60 * 60 * 1000
const ago = (days: number) => new Date(Date.now() - days * day).toISOString()

const meta = {
  title: 'Components/ConnectionsList',
  component: ConnectionsList,
  loaders: [context => loadListMock(context.parameters)],
  decorators: [withMockList],
  args: {
    providers,
    // Short polls so stories reach their status at once.
    pollInterval: 50,
    maxPollInterval: 500,
    onConnected: fn(),
    onDisconnected: fn(),
    onError: fn(),
  },
  argTypes: {
    unstyled: { control: 'boolean' },
  },
} satisfies Meta<typeof ConnectionsList>

export default meta
type Story = StoryObj<typeof meta>

const list = (parameters: ListStoryParameters) => ({ connectionsList: parameters })

/**
 * Zero-config: `<ConnectionsList />` with no `providers` lists the catalogue the backend offers
 * (`GET {endpoint}/providers`): forty providers with logos (a monogram where there is none),
 * connected ones first, a search box and category chips.
 */
export const Catalogue: Story = {
  args: { providers: undefined },
  parameters: list({
    mockBackend: {
      latency: 200,
      providers: STORY_CATALOGUE,
      connections: [{ id: 'pac_hubspot', providerId: 'hubspot', name: 'Acme sales', createdAt: ago(30) }],
    },
  }),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByRole('searchbox', { name: 'Search integrations' })).toBeInTheDocument()
    await waitFor(() => expect(canvasElement.querySelectorAll('li[data-provider]')).toHaveLength(40))
    await expect(canvasElement.querySelector('li[data-provider]')).toHaveAttribute('data-provider', 'hubspot')
  },
}

/** The catalogue searched by keyboard: the count is announced politely. */
export const CatalogueSearched: Story = {
  args: { providers: undefined },
  parameters: list({ mockBackend: { latency: 0, providers: STORY_CATALOGUE } }),
  play: async ({ canvasElement, userEvent }) => {
    const canvas = within(canvasElement)
    const search = await canvas.findByRole('searchbox', { name: 'Search integrations' })
    search.focus()
    await userEvent.keyboard('calendar')
    await waitFor(() => expect(canvasElement.querySelector('[data-search-results]')).toHaveTextContent('4 integrations found'))
  },
}

/**
 * Several accounts of one provider, each with its label, date and own Disconnect, and "Add another
 * account" (`allowMultipleAccounts`). `connectionLabel` names them as the app knows them.
 */
export const SeveralAccounts: Story = {
  args: {
    providers: undefined,
    allowMultipleAccounts: true,
    connectionLabel: connection => (connection.id === 'pac_gh_me' ? 'Jane (personal)' : null),
  },
  parameters: list({
    mockBackend: {
      latency: 100,
      providers: STORY_CATALOGUE.slice(0, 6),
      connections: [
        { id: 'pac_gh_work', providerId: 'github', name: 'GitHub account', label: 'acme-corp', createdAt: ago(120) },
        { id: 'pac_gh_me', providerId: 'github', name: 'GitHub account', createdAt: ago(3) },
        { id: 'pac_slack', providerId: 'slack', name: 'Acme workspace', createdAt: ago(42) },
      ],
    },
  }),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByRole('button', { name: 'Disconnect GitHub (Jane (personal))' })).toBeInTheDocument()
    await expect(canvas.getByRole('button', { name: 'Add another account for GitHub (opens in a new window)' })).toBeInTheDocument()
  },
}

/** The first load never answers: skeleton rows (API-key providers already show as available). */
export const Loading: Story = {
  parameters: list({ mockBackend: { latency: day } }),
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('li[data-provider="slack"]')).toHaveAttribute('data-state', 'loading')
  },
}

/** Nothing connected yet. Clicking Connect runs the whole flow: the mock completes it after 2 s. */
export const NothingConnected: Story = {
  parameters: list({ mockBackend: { latency: 300, autoComplete: 2000 } }),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByRole('button', { name: 'Connect Slack (opens in a new window)' })).toBeInTheDocument()
  },
}

/**
 * Connect, and the mock completes it: Reconnect is the quiet outlined button a reload shows, not
 * the green of a finished `ProviderConnectButton`.
 */
export const ReconnectAfterConnect: Story = {
  parameters: list({ mockBackend: { latency: 100, autoComplete: 300 } }),
  play: async ({ canvasElement, userEvent }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Connect Slack (opens in a new window)' }))
    const reconnect = await canvas.findByRole('button', { name: 'Reconnect Slack (opens in a new window)' }, { timeout: 5000 })
    await expect(reconnect).toHaveAttribute('data-action', 'reconnect')
    await expect(reconnect).toHaveAttribute('data-status', 'idle')
  },
}

/**
 * Accounts the provider's side dropped (archived or deleted in Metorial's dashboard): a lone one
 * turns its row `revoked`, with Reconnect as the row's primary action; one of several accounts is
 * marked on its own, with its own Reconnect. Disconnect stays.
 */
export const RevokedAccount: Story = {
  parameters: list({
    mockBackend: {
      latency: 200,
      connections: [
        { id: 'pac_slack', providerId: 'slack', name: 'Acme workspace', status: 'revoked', revokedAt: ago(2), createdAt: ago(42) },
        { id: 'pac_gh_work', providerId: 'github', name: 'acme-corp', createdAt: ago(120) },
        { id: 'pac_gh_me', providerId: 'github', name: 'jane-doe', status: 'revoked', revokedAt: ago(1), createdAt: ago(30) },
        { id: 'pac_linear', providerId: 'linear', name: 'Acme', createdAt: ago(9) },
      ],
    },
  }),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByRole('button', { name: 'Reconnect Slack (opens in a new window)' })).toHaveAttribute('data-action', 'reconnect')
    await expect(canvasElement.querySelector('li[data-provider="slack"]')).toHaveAttribute('data-state', 'revoked')
    await expect(canvasElement.querySelector('[data-connection-id="pac_gh_me"]')).toHaveAttribute('data-state', 'revoked')
    await expect(canvas.getByRole('button', { name: 'Reconnect GitHub (jane-doe) (opens in a new window)' })).toBeInTheDocument()
  },
}

/**
 * Reconnect on a revoked account, and the mock completes it: the new connection replaces the old
 * one in place (`replacesConnectionId`), keeps its name, and the row is connected again.
 */
export const ReconnectInPlace: Story = {
  parameters: list({
    mockBackend: {
      latency: 100,
      autoComplete: 600,
      connections: [{ id: 'pac_slack_old', providerId: 'slack', name: 'Acme workspace', status: 'revoked', revokedAt: ago(2), createdAt: ago(42) }],
    },
  }),
  play: async ({ canvasElement, loaded, userEvent }) => {
    const { mock } = mockConnectOf({ loaded })
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Reconnect Slack (opens in a new window)' }))
    await waitFor(() => expect(canvasElement.querySelector('li[data-provider="slack"]')).toHaveAttribute('data-state', 'connected'), { timeout: 5000 })
    await expect(mock.connections).toEqual([expect.objectContaining({ providerId: 'slack', name: 'Acme workspace', status: 'active' })])
    await expect(mock.connections[0]?.id).not.toBe('pac_slack_old')
    await expect(within(canvasElement.querySelector('li[data-provider="slack"]') as HTMLElement).getByText('Acme workspace')).toBeInTheDocument()
  },
}

/** Rename, inline: a labelled field with the account's name, Save and Cancel (Enter saves, Escape cancels). */
export const Renaming: Story = {
  parameters: list({ mockBackend: { latency: 300, connections: [{ id: 'pac_slack', providerId: 'slack', name: 'Acme workspace', createdAt: ago(42) }] } }),
  play: async ({ canvasElement, userEvent }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Rename Slack account (Acme workspace)' }))
    const field = canvas.getByRole('textbox', { name: 'Name of this Slack account' })
    await expect(field).toHaveFocus()
    await expect(field).toHaveValue('Acme workspace')
  },
}

/** A name the backend refused (`400 invalid_name`): said under the field, which keeps what was typed. */
export const RenameError: Story = {
  parameters: list({ mockBackend: { latency: 300, connections: [{ id: 'pac_slack', providerId: 'slack', name: 'Acme workspace', createdAt: ago(42) }] } }),
  play: async ({ canvasElement, loaded, userEvent }) => {
    const { mock } = mockConnectOf({ loaded })
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Rename Slack account (Acme workspace)' }))
    const field = canvas.getByRole('textbox', { name: 'Name of this Slack account' })
    await userEvent.clear(field)
    await userEvent.type(field, 'Acme ops')
    mock.failNext('renameConnection', { status: 400, code: 'invalid_name', message: 'This name is already used by another account.' })
    await userEvent.keyboard('{Enter}')
    await expect(await canvas.findByRole('alert')).toHaveTextContent('Could not rename: This name is already used by another account.')
    await expect(field).toHaveAttribute('aria-invalid', 'true')
    await expect(field).toHaveValue('Acme ops')
  },
}

/** No providers to list. */
export const Empty: Story = {
  args: { providers: [] },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText('No integrations to show.')).toBeInTheDocument()
  },
}

/** Connected, several connections of one provider, connecting, an error, not connected, and available. */
export const MixedStates: Story = {
  parameters: list({
    mockBackend: {
      latency: 200,
      connections: [
        { id: 'pac_slack', providerId: 'slack', name: 'Acme workspace', createdAt: ago(42) },
        { id: 'pac_gh_work', providerId: 'github', name: 'acme-corp', createdAt: ago(120) },
        { id: 'pac_gh_me', providerId: 'github', name: 'jane-doe', createdAt: ago(3) },
      ],
    },
  }),
  play: async ({ canvasElement, loaded, userEvent }) => {
    const { mock } = mockConnectOf({ loaded })
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Connect Linear (opens in a new window)' }))
    await waitFor(() => expect(mock.sessions).toHaveLength(1))
    mock.fail(undefined, 'The user denied access.')
    await waitFor(() => expect(canvasElement.querySelector('li[data-provider="linear"]')).toHaveAttribute('data-state', 'error'))
    await userEvent.click(canvas.getByRole('button', { name: 'Connect Google Calendar (opens in a new window)' }))
    await waitFor(() => expect(canvasElement.querySelector('li[data-provider="google-calendar"]')).toHaveAttribute('data-state', 'connecting'))
    // On the consent page (not still creating the session): the row offers Cancel.
    await canvas.findByRole('button', { name: /^Cancel/ })
  },
}

/** Every provider connected. */
export const AllConnected: Story = {
  parameters: list({
    mockBackend: {
      latency: 200,
      connections: [
        { providerId: 'slack', name: 'Acme workspace', createdAt: ago(42) },
        { providerId: 'github', name: 'acme-corp', createdAt: ago(120) },
        { providerId: 'google-calendar', name: 'jane@acme.com', createdAt: ago(7) },
        { providerId: 'linear', name: 'Acme', createdAt: ago(1) },
      ],
    },
  }),
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByRole('button', { name: 'Disconnect Linear' })).toBeInTheDocument()
  },
}

/** The connections could not be loaded: a list-level error; Try again recovers. */
export const BackendError: Story = {
  args: { swr: { shouldRetryOnError: false } },
  parameters: list({ failList: true, mockBackend: { latency: 300, connections: [{ providerId: 'slack', createdAt: ago(5) }] } }),
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByRole('alert')).toHaveTextContent('Could not load your connections')
  },
}

/** The confirmation a Disconnect opens; Escape or Cancel returns focus to the row's button. */
export const DisconnectDialogOpen: Story = {
  parameters: list({ mockBackend: { latency: 300, connections: [{ providerId: 'slack', name: 'Acme workspace', createdAt: ago(42) }] } }),
  play: async ({ canvasElement, userEvent }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Disconnect Slack' }))
    const dialog = await canvas.findByRole('dialog', { name: 'Disconnect Slack?' })
    await expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus()
  },
}

/** The browser blocked the consent window: the row offers to continue in a new tab. */
export const PopupBlocked: Story = {
  loaders: [context => ({ environment: { openWindow: () => null }, mock: loadListMock(context.parameters).mock })],
  play: async ({ canvasElement, userEvent }) => {
    const canvas = within(canvasElement)
    await userEvent.click(await canvas.findByRole('button', { name: 'Connect Slack (opens in a new window)' }))
    await expect(await canvas.findByRole('link', { name: 'Continue in a new tab' })).toBeInTheDocument()
  },
}

/**
 * Opened from Instagram on Android, where Google refuses to sign in (`403 disallowed_useragent`):
 * Google Calendar's row says why and offers "Open in your browser" (an Android intent for this page)
 * and "Copy link" instead of Connect; the other rows connect as anywhere. The user agent and the
 * page come from the `ConnectProvider`'s `environment`.
 */
export const InAppBrowser: Story = {
  loaders: [
    context => ({
      mock: loadListMock(context.parameters).mock,
      environment: {
        openWindow: () => createFakePopup(),
        userAgent: () =>
          'Mozilla/5.0 (Linux; Android 12; Pixel 6 Build/SQ3A.220705.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/103.0.5060.71 Mobile Safari/537.36 Instagram 243.1.0.14.111 Android (31/12; 420dpi; 1080x2209; Google/google; Pixel 6; oriole; oriole; en_US; 382290498)',
        locationHref: () => 'https://app.example.com/settings/integrations',
      },
    }),
  ],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const open = await canvas.findByRole('link', { name: 'Open in your browser' })
    await expect(open.getAttribute('href')).toMatch(/^intent:\/\/app\.example\.com\/settings\/integrations#Intent;scheme=https;/)
    await expect(canvas.getByRole('button', { name: 'Copy link' })).toBeInTheDocument()
    await expect(canvas.queryByRole('button', { name: /^Connect Google Calendar/ })).toBeNull()
  },
}

/** A row of the consumer's own: `renderRow` gets the state and the actions; the `<li>` and its `data-state` stay. */
export const CustomRow: Story = {
  parameters: list({ mockBackend: { latency: 300, autoComplete: 1500, connections: [{ providerId: 'github', name: 'acme-corp', createdAt: ago(9) }] } }),
  args: {
    renderRow: ({ provider, state, busy, statusText, connections, connect, requestDisconnect, label }) => (
      <div style={{ display: 'flex', alignItems: 'center', gap: 12 }}>
        <span aria-hidden="true">{provider.icon}</span>
        <div style={{ flex: 1 }}>
          <strong>{provider.name}</strong>
          <div style={{ fontSize: 13, opacity: 0.75 }}>{statusText}</div>
        </div>
        {state === 'connected' &&
          connections.map(connection => (
            <button
              key={connection.id}
              type="button"
              className="rpc-button rpc-button-danger"
              onClick={event => requestDisconnect(connection, event.currentTarget)}
            >
              {label('disconnectLabel', connection)}
            </button>
          ))}
        {(state === 'disconnected' || state === 'error' || state === 'connecting') && (
          <button type="button" className="rpc-button" aria-busy={busy || undefined} onClick={connect}>
            {busy ? 'Waiting…' : `Add ${provider.name}`}
          </button>
        )}
      </div>
    ),
  },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByRole('button', { name: 'Add Slack' })).toBeInTheDocument()
  },
}

/** `unstyled` with class names per part: bring your own CSS. */
export const Unstyled: Story = {
  args: { unstyled: true, classNames: { list: 'my-list', row: 'my-row' } },
  parameters: list({ mockBackend: { latency: 200, connections: [{ providerId: 'slack', createdAt: ago(2) }] } }),
}

/** Forced dark, whatever the toolbar says. */
export const Dark: Story = {
  parameters: list({ mockBackend: { latency: 200, connections: [{ providerId: 'slack', name: 'Acme workspace', createdAt: ago(42) }] } }),
  render: args => (
    <div data-theme="dark" style={{ background: '#121418', padding: 16, borderRadius: 12 }}>
      <ConnectionsList {...args} />
    </div>
  ),
}
