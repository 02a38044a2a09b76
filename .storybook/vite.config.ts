import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

/** Storybook's Vite config, independent of the library build's. */
export default defineConfig({
  plugins: [react()],
})
