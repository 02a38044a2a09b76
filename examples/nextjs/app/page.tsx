// A Server Component: it may render client components and pass them plain data (strings, arrays,
// objects), never functions. The server's own record of connections is `connect.listConnections`.
import type { ConnectionsListProvider } from 'react-provider-connect'
// Plain data from the labels entry: a Server Component reads it (from the main entry, a
// 'use client' module, it would be undefined here).
import { defaultConnectionsListLabels } from 'react-provider-connect/labels'
import { Integrations } from './integrations'

const PROVIDERS: ConnectionsListProvider[] = [
  { providerId: 'slack', name: 'Slack', description: 'Post updates to channels.' },
  { providerId: 'github', name: 'GitHub', description: 'Issues and pull requests.' },
  { providerId: 'google-calendar', name: 'Google Calendar', description: 'Read and create events.' },
]

export default function SettingsPage() {
  return (
    <main>
      <h1>Settings</h1>
      <p className="legend">
        Not connected yet? Look for “{String(defaultConnectionsListLabels.statusDisconnected)}” and press “{String(defaultConnectionsListLabels.connect)}”.
      </p>
      <Integrations providers={PROVIDERS} />
    </main>
  )
}
