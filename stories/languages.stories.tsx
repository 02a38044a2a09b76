import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, waitFor, within } from 'storybook/test'
import { ConnectionsList, ProviderConnectButton } from '../src/index.js'
import type { ConnectionsListProvider } from '../src/index.js'
import { loadMockConnect, mockConnectOf, withMockList } from './mock-connect.js'
import { storyLocale } from './story-locale.js'

const day = 86_400_000
const ago = (days: number) => new Date(Date.now() - days * day).toISOString()

// No descriptions: they are the app's own words, in whatever language the app writes them.
const providers: ConnectionsListProvider[] = [
  { providerId: 'slack', name: 'Slack' },
  { providerId: 'github', name: 'GitHub' },
  { providerId: 'linear', name: 'Linear' },
  { providerId: 'google-calendar', name: 'Google Calendar' },
]

/** The list in the toolbar's language, in its mixed states, and a button under it. */
function LanguageSample() {
  return (
    <div style={{ display: 'grid', gap: '1.5rem' }}>
      <ConnectionsList providers={providers} allowMultipleAccounts aria-label="Integrations" />
      <div>
        <ProviderConnectButton providerId="notion" providerName="Notion" />
      </div>
    </div>
  )
}

/**
 * The library in a language of `react-provider-connect/locales`: pick another in the toolbar's
 * Language menu (every story follows it). Arabic lays the whole list out right to left.
 */
const meta = {
  title: 'Languages',
  component: LanguageSample,
  loaders: [loadMockConnect],
  decorators: [withMockList],
  parameters: {
    mockConnect: {
      mockBackend: {
        latency: 100,
        connections: [
          { id: 'pac_slack', providerId: 'slack', name: 'Acme', createdAt: ago(42) },
          { id: 'pac_gh_work', providerId: 'github', name: 'acme-corp', createdAt: ago(120) },
          { id: 'pac_gh_me', providerId: 'github', name: 'jane-doe', createdAt: ago(3) },
          { id: 'pac_linear', providerId: 'linear', name: 'Acme', createdAt: ago(200), status: 'revoked', revokedAt: ago(2) },
        ],
      },
    },
  },
} satisfies Meta<typeof LanguageSample>

export default meta
type Story = StoryObj<typeof meta>

/** Every state the list shows at once, plus a failed connect, in the story's language. */
const play: Story['play'] = async ({ canvasElement, loaded, globals, userEvent }) => {
  const locale = storyLocale(globals)
  if (!locale) throw new Error('A language story sets globals.locale.')
  const { mock } = mockConnectOf({ loaded })
  const canvas = within(canvasElement)
  const row = await waitFor(() => {
    const item = canvasElement.querySelector<HTMLElement>('li[data-provider="google-calendar"]')
    if (!item || item.getAttribute('data-state') !== 'disconnected') throw new Error('not loaded yet')
    return item
  })
  await expect(canvasElement.querySelector('.rpc-connections')).toHaveAttribute('dir', locale.dir)
  await userEvent.click(within(row).getAllByRole('button')[0]!)
  await waitFor(() => expect(mock.sessions).toHaveLength(1))
  mock.fail(undefined, 'access_denied')
  await waitFor(() => expect(row).toHaveAttribute('data-state', 'error'), { timeout: 5000 })
  await expect(canvas.getAllByRole('button').length).toBeGreaterThan(4)
}

/** Arabic, right to left: the logos, buttons and dates sit on the mirrored side. */
export const Arabic: Story = { globals: { locale: 'ar' }, play }

/** Japanese. */
export const Japanese: Story = { globals: { locale: 'ja' }, play }

/** German, whose long words must wrap inside a narrow list. */
export const German: Story = { globals: { locale: 'de' }, play }
