/**
 * "The user's connections changed": said when a flow completes or a connection is removed, heard by
 * `useConnections` in this tab and, through a `BroadcastChannel`, in the app's other tabs.
 */
import { CHANNEL_NAME, CONNECTIONS_CHANGED_TYPE } from './protocol.js'
import type { FlowEnvironment } from './environment.js'

type Listener = () => void

const local = new Set<Listener>()
/** Tells this tab's own broadcasts apart: local listeners already heard them. */
const tabId = Math.random().toString(36).slice(2)

export function notifyConnectionsChanged(environment: Pick<FlowEnvironment, 'openChannel'>): void {
  for (const listener of [...local]) listener()
  const channel = environment.openChannel(CHANNEL_NAME)
  if (!channel) return
  try {
    channel.postMessage({ type: CONNECTIONS_CHANGED_TYPE, source: tabId })
  } finally {
    channel.close()
  }
}

export function subscribeConnectionsChanged(environment: Pick<FlowEnvironment, 'openChannel'>, listener: Listener): () => void {
  local.add(listener)
  const channel = environment.openChannel(CHANNEL_NAME)
  const onMessage = (event: { data: unknown }) => {
    const data = event.data as { type?: unknown; source?: unknown } | null
    if (data?.type === CONNECTIONS_CHANGED_TYPE && data.source !== tabId) listener()
  }
  channel?.addEventListener('message', onMessage)
  return () => {
    local.delete(listener)
    channel?.removeEventListener('message', onMessage)
    channel?.close()
  }
}
