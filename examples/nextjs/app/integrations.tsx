'use client'
// Everything that takes a function (onConnected…) or holds state lives in a client component. A
// Server Component renders <Integrations /> and passes only plain data.
import { useState } from 'react'
import { ConnectProvider, ConnectionsList, ProviderConnectButton } from 'react-provider-connect'
import type { ConnectionsListProvider } from 'react-provider-connect'

export function Integrations({ providers }: { providers: ConnectionsListProvider[] }) {
  const [notice, setNotice] = useState('')
  return (
    <ConnectProvider endpoint="/api/connect" redirectUrl="/connect/callback">
      <p role="status" className="notice">
        {notice}
      </p>
      <section aria-labelledby="linear-heading">
        <h2 id="linear-heading">Linear</h2>
        <ProviderConnectButton providerId="linear" providerName="Linear" onConnected={() => setNotice('Linear is connected.')} />
      </section>
      <section aria-labelledby="integrations-heading">
        <h2 id="integrations-heading">Integrations</h2>
        <ConnectionsList aria-label="Integrations" providers={providers} onConnected={(_, provider) => setNotice(`${provider.name} is connected.`)} />
      </section>
    </ConnectProvider>
  )
}
