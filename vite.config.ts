import { defineConfig } from 'vite'

/** One entry per public import path; `[name]` keeps the folder, so `.d.ts` files sit beside their JS. */
const entries = {
  index: 'src/index.ts',
  'core/index': 'src/core/index.ts',
  'testing/index': 'src/testing/index.ts',
  'callback/index': 'src/callback/index.ts',
  'labels/index': 'src/labels/index.ts',
  'locales/index': 'src/locales/index.ts',
  'server/index': 'src/server/index.ts',
  'simulation/index': 'src/simulation/index.ts',
}

// Dependencies stay imports: the host's bundler dedupes them (one Radix, one SWR per app).
const external = [/^react($|\/)/, /^react-dom($|\/)/, /^swr($|\/)/, 'clsx', /^@radix-ui\//, /^node:/]


export default defineConfig({
  build: {
    lib: { entry: entries },
    outDir: 'dist',
    emptyOutDir: false,
    minify: false,
    sourcemap: true,
    copyPublicDir: false,
    target: 'es2022',
    rolldownOptions: {
      external,
      // Rolldown keeps the React entry's 'use client' (scripts/check-package.mjs asserts it); its warning is noise.
      onLog(level, log, handler) {
        if (log.code !== 'MODULE_LEVEL_DIRECTIVE') handler(level, log)
      },
      output: [
        { format: 'es', dir: 'dist/esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
        { format: 'cjs', dir: 'dist/cjs', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', exports: 'named' },
      ],
    },
  },
})
