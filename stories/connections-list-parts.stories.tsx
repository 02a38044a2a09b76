import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, fn, waitFor, within } from 'storybook/test'
import { ConnectionsListRoot, ConnectionsListRow, ConnectionsListToolbar, DisconnectDialog } from '../src/index.js'
import type { ConnectionsListProvider, ConnectionsListRootProps } from '../src/index.js'
import { loadMockConnect, withMockList } from './mock-connect.js'

const providers: ConnectionsListProvider[] = [
  { providerId: 'slack', name: 'Slack', description: 'Post messages and read channels.', logoUrl: null, categories: ['Communication'] },
  { providerId: 'gmail', name: 'Gmail', description: 'Send and read mail.', logoUrl: null, categories: ['Communication'] },
  { providerId: 'github', name: 'GitHub', description: 'Issues, pull requests and repositories.', logoUrl: null, categories: ['Developer tools'] },
  { providerId: 'linear', name: 'Linear', description: 'Track issues and projects.', logoUrl: null, categories: ['Developer tools'] },
]
const categories = ['Communication', 'Developer tools']

/**
 * A list of the app's own making: its heading, the toolbar over the app's own search state, one
 * `<ul>` per category with a heading each, and the disconnect dialog. The root hands every part
 * the list's options (labels, class names, flow options, callbacks).
 */
function GroupedIntegrations(props: Omit<ConnectionsListRootProps, 'children'>) {
  const [query, setQuery] = useState('')
  const [category, setCategory] = useState<string | null>(null)
  const shown = providers.filter(item => item.name.toLowerCase().includes(query.trim().toLowerCase()) && (category === null || item.categories?.includes(category)))
  return (
    <ConnectionsListRoot aria-labelledby="grouped-integrations" {...props}>
      <h2 id="grouped-integrations" style={{ font: '600 1.125rem system-ui, sans-serif', margin: '0 0 12px' }}>
        Integrations
      </h2>
      <ConnectionsListToolbar
        query={query}
        onQueryChange={setQuery}
        categories={categories}
        category={category}
        onCategoryChange={setCategory}
        resultCount={query.trim() || category ? shown.length : undefined}
      />
      {categories.map((group, index) => {
        const rows = shown.filter(item => item.categories?.includes(group))
        return (
          rows.length > 0 && (
            <section key={group} aria-labelledby={`grouped-integrations-${index}`}>
              <h3 id={`grouped-integrations-${index}`} style={{ font: '600 0.8125rem system-ui, sans-serif', margin: '16px 0 4px', textTransform: 'uppercase' }}>
                {group}
              </h3>
              <ul className="rpc-connections-list">
                {rows.map(item => (
                  <ConnectionsListRow key={item.providerId} provider={item} />
                ))}
              </ul>
            </section>
          )
        )
      })}
      <DisconnectDialog />
    </ConnectionsListRoot>
  )
}

const day = 24 * 60 * 60 * 1000

const meta = {
  title: 'Components/ConnectionsList/Parts',
  component: GroupedIntegrations,
  loaders: [loadMockConnect],
  decorators: [withMockList],
  parameters: {
    mockConnect: {
      mockBackend: { latency: 200, autoComplete: 1500, connections: [{ id: 'pac_github', providerId: 'github', name: 'acme-corp', createdAt: new Date(Date.now() - 9 * day).toISOString() }] },
    },
  },
  args: {
    // Short polls so the story reaches its status at once.
    pollInterval: 50,
    maxPollInterval: 500,
    onConnected: fn(),
    onDisconnected: fn(),
    onError: fn(),
  },
} satisfies Meta<typeof GroupedIntegrations>

export default meta
type Story = StoryObj<typeof meta>

/** Rows grouped by category under headings, from `ConnectionsListRoot`, the toolbar, rows and the dialog. */
export const GroupedByCategory: Story = {
  play: async ({ canvasElement, userEvent }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByRole('button', { name: 'Disconnect GitHub' })).toBeInTheDocument()
    await expect(canvas.getByRole('region', { name: 'Developer tools' })).toBeInTheDocument()
    await userEvent.click(within(canvas.getByRole('group', { name: 'Categories' })).getByRole('button', { name: 'Communication' }))
    await waitFor(() => expect(canvasElement.querySelectorAll('li[data-provider]')).toHaveLength(2))
    await userEvent.click(within(canvas.getByRole('group', { name: 'Categories' })).getByRole('button', { name: 'All' }))
    await waitFor(() => expect(canvasElement.querySelectorAll('li[data-provider]')).toHaveLength(4))
  },
}
