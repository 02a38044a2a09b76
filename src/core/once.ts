/**
 * Completions already handed to the app in this page, by session id: however many flows, tabs'
 * messages or remounted components observe one completed session, `onConnected` fires once.
 */
const claimed = new Set<string>()

/** True the first time it is called for `sessionId` in this page. */
export function claimCompletion(sessionId: string): boolean {
  if (claimed.has(sessionId)) return false
  claimed.add(sessionId)
  return true
}
