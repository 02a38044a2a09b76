// The page at `redirectUrl`. It tells the page that opened the popup, which asks the server what
// happened: this page never claims a success on its own.
import { useEffect } from 'react'
import { completeSetupSession } from 'react-provider-connect/callback'

export function meta() {
  return [{ title: 'Finishing up…' }]
}

export default function ConnectCallback() {
  useEffect(() => {
    // The page draws its own text (server-rendered, shown at once): `message: false` keeps
    // completeSetupSession() from adding a second <main> with the same words.
    void completeSetupSession({ message: false })
  }, [])
  return <main>Finishing up… you can close this window.</main>
}
