import react from '@vitejs/plugin-react'
import { toNodeHandler } from 'react-provider-connect/server'
import { defineConfig, type Plugin } from 'vite'
import { createConnect } from './connect.mjs'

/** `vite` (the `dev` script): the connect contract inside Vite's dev server, on the page's own origin. */
function connectApi(): Plugin {
  return {
    name: 'connect-api',
    apply: 'serve',
    async configureServer(server) {
      const connect = await createConnect()
      server.middlewares.use('/api/connect', toNodeHandler(connect.handler))
    },
  }
}

export default defineConfig({
  plugins: [react(), connectApi()],
  build: {
    rolldownOptions: {
      // Two pages: the app, and the callback page at the redirect URL (`/connect/callback/`).
      input: { main: 'index.html', callback: 'connect/callback/index.html' },
    },
  },
})
