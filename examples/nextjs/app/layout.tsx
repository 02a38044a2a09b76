import type { ReactNode } from 'react'
import 'react-provider-connect/styles.css'
import './globals.css'

export const metadata = { title: 'Settings · Next.js example' }

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  )
}
