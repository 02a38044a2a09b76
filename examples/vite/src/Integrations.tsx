import { ConnectProvider, ConnectionsList, ProviderConnectButton } from 'react-provider-connect'
import type { ConnectionsListProvider } from 'react-provider-connect'
import 'react-provider-connect/styles.css'

const PROVIDERS: ConnectionsListProvider[] = [
  { providerId: 'slack', name: 'Slack', description: 'Post updates to channels.' },
  { providerId: 'github', name: 'GitHub', description: 'Issues and pull requests.' },
  { providerId: 'google-calendar', name: 'Google Calendar', description: 'Read and create events.' },
]

/**
 * The connect UI. The server records each connection for the signed-in user (its `onConnected`);
 * the browser's `onConnected` is only for the UI, here a notice.
 */
export function Integrations({ onNotice }: { onNotice: (text: string) => void }) {
  return (
    <ConnectProvider endpoint="/api/connect" redirectUrl="/connect/callback/">
      <section aria-labelledby="linear-heading">
        <h2 id="linear-heading">Linear</h2>
        <ProviderConnectButton providerId="linear" providerName="Linear" onConnected={() => onNotice('Linear is connected.')} />
      </section>
      <section aria-labelledby="integrations-heading">
        <h2 id="integrations-heading">Integrations</h2>
        <ConnectionsList aria-label="Integrations" providers={PROVIDERS} onConnected={(_, provider) => onNotice(`${provider.name} is connected.`)} />
      </section>
    </ConnectProvider>
  )
}
