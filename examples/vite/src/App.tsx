import { useState } from 'react'
import { Integrations } from './Integrations.js'

export function App() {
  const [notice, setNotice] = useState('')
  return (
    <main className="app">
      <h1>Settings</h1>
      <p role="status" className="notice">
        {notice}
      </p>
      <Integrations onNotice={setNotice} />
    </main>
  )
}
