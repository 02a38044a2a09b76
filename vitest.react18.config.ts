import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

const react18 = (path: string) => fileURLToPath(new URL(`./compat/react18/node_modules/${path}`, import.meta.url))

/** The React tests again, on React 18.3 (the oldest supported peer). */
export default defineConfig({
  plugins: [react()],
  resolve: {
    // ESM builds first: a CommonJS build would `require('react')` past the aliases.
    mainFields: ['module', 'jsnext:main', 'jsnext', 'main'],
    alias: [
      // Its CommonJS main would `require` React 19 past the aliases; the ESM build goes through them.
      {
        find: /^@testing-library\/react$/,
        replacement: fileURLToPath(new URL('./node_modules/@testing-library/react/dist/@testing-library/react.esm.js', import.meta.url)),
      },
      { find: /^use-sync-external-store\/shim(\/index\.js)?$/, replacement: fileURLToPath(new URL('./test/react18-use-sync-external-store.ts', import.meta.url)) },
      { find: /^react$/, replacement: react18('react/index.js') },
      { find: /^react\/(.*)$/, replacement: react18('react/$1') },
      { find: /^react-dom$/, replacement: react18('react-dom/index.js') },
      { find: /^react-dom\/(.*)$/, replacement: react18('react-dom/$1') },
    ],
  },
  test: {
    name: 'react18',
    environment: 'jsdom',
    // As in vitest.config.ts: set-up bound, so one worker more than cores.
    maxWorkers: 3,
    include: ['test/react/**/*.test.{ts,tsx}', 'test/**/*.test.tsx'],
    setupFiles: ['test/setup.ts', 'test/react18-setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
    // Every dependency goes through Vite, so the aliases reach their React imports too.
    server: { deps: { inline: true } },
  },
})
