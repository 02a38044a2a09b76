'use client'
// The page at `redirectUrl`. completeSetupSession() runs in the browser only (an effect, not the
// module's top level, which Next also runs while prerendering). It tells the page that opened the
// popup, which asks the server what happened: this page never claims a success on its own.
import { useEffect } from 'react'
import { completeSetupSession } from 'react-provider-connect/callback'

export default function ConnectCallbackPage() {
  useEffect(() => {
    void completeSetupSession()
  }, [])
  return <main>Finishing up… you can close this window.</main>
}
