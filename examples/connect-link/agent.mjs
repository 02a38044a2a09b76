// An agent that needs the user's Slack: it makes a connect link, prints it (where a real agent
// would post it in the chat), waits until the user has connected, then has the stored auth config
// to act with. Without METORIAL_API_KEY it runs on the shipped Metorial simulation.
// Start: `npm start`, open the printed link, press the button, Allow. (`--auto` does the clicks.)
import { createServer } from 'node:http'
import { createConnectServer, memoryConnectionStore, toNodeHandler } from 'react-provider-connect/server'
import { startMetorialSimulation } from 'react-provider-connect/simulation'

const port = Number(process.env.PORT ?? 3030)
const userId = 'user_123'

const simulation = process.env.METORIAL_API_KEY ? null : await startMetorialSimulation({ port: 0 })
const connect = createConnectServer({
  ...(simulation ? simulation.connectOptions : { apiKey: process.env.METORIAL_API_KEY, baseUrl: process.env.METORIAL_BASE_URL }),
  // The link's pages never ask who is signed in: the link names its user.
  getUserId: () => null,
  // In production: sqlConnectionStore({ query: (text, params) => pool.query(text, params) }).
  store: memoryConnectionStore(),
  // Where the handler is reachable from the user's browser: links are {publicUrl}/links/{token}.
  publicUrl: `http://localhost:${port}/api/connect`,
  appName: 'Example agent',
})

const server = createServer(toNodeHandler(connect.handler))
await new Promise(resolve => server.listen(port, '127.0.0.1', resolve))

// 1. The agent needs Slack: make a link for this user (it lives 24 hours, and connects once).
const link = await connect.createConnectLink({ userId, providerId: 'slack' })
// 2. Post it where the user is: here, the terminal.
console.log(`To let the agent read Slack, open:\n\n  ${link.url}\n\n(valid until ${link.expiresAt})`)
if (process.argv.includes('--auto')) void clickThrough(link.url)
// 3. Wait for the connection (10 minutes by default; pass a signal to stop early).
const connection = await connect.waitForConnection({ userId, providerId: 'slack', timeoutMs: 10 * 60_000 })
// 4. Act with it: the auth config id goes into your Metorial session (withProviderSession).
console.log(`Connected ${connection.providerId}: providerAuthConfigId ${connection.providerAuthConfigId}`)
if (simulation) console.log(`Requests to Metorial for this link: ${simulation.simulation.requests.length}`)

server.close()
await simulation?.close()

/** What the user does in a browser: open the link, press the button, Allow on the consent page, come back. */
async function clickThrough(url) {
  await fetch(url)
  const pressed = await fetch(url, { method: 'POST', redirect: 'manual' })
  const consent = new URL(pressed.headers.get('location'))
  const body = new URLSearchParams({ client_secret: consent.searchParams.get('client_secret'), decision: 'allow' })
  const allowed = await fetch(`${consent.origin}${consent.pathname}`, { method: 'POST', body, redirect: 'manual' })
  const done = await fetch(allowed.headers.get('location'))
  console.log(`The done page: ${/<h1>(.*?)<\/h1>/.exec(await done.text())?.[1]}`)
}
