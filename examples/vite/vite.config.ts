import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [react()],
  build: {
    rolldownOptions: {
      // Two pages: the app, and the callback page at the redirect URL.
      input: { main: 'index.html', callback: 'connect/callback/index.html' },
    },
  },
})
