// Measures what a host app ships, the way a host app builds it: a tiny entry file per import,
// bundled by esbuild (minified ESM, React external), gzip -9. Ours is measured from the built
// package (dist/esm), the peers from their published packages, in the same run.
// Run directly to print the sizes: `node scripts/bundle-sizes.mjs [--json]`.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** React is the host app's own copy, never counted. Everything else is bundled in. */
const external = ['react', 'react-dom', 'react/*', 'react-dom/*']

export const OURS = [
  { id: 'hook', label: 'hook only (`useSetupSession`)', code: "export { useSetupSession } from './dist/esm/index.js'" },
  { id: 'button', label: '`ProviderConnectButton`', code: "export { ProviderConnectButton } from './dist/esm/index.js'" },
  { id: 'list', label: '`ConnectionsList` (with SWR)', code: "export { ConnectionsList } from './dist/esm/index.js'" },
  { id: 'all', label: 'everything (`*` from the main entry)', code: "export * from './dist/esm/index.js'" },
  { id: 'core', label: '`react-provider-connect/core`', code: "export * from './dist/esm/core/index.js'" },
  { id: 'callback', label: '`react-provider-connect/callback`', code: "export * from './dist/esm/callback/index.js'" },
]

/** The button with one locale of `react-provider-connect/locales` each: what a language adds. */
export const LOCALES = ['en', 'de', 'fr', 'es', 'ja', 'ptBR', 'zhCN', 'ar']
export const WITH_LOCALE = LOCALES.map(name => ({
  id: `button+${name}`,
  label: `\`ProviderConnectButton\` + \`${name}\``,
  code: `export { ProviderConnectButton } from './dist/esm/index.js'; export { ${name} } from './dist/esm/locales/index.js'`,
}))

export const PEERS = [
  { id: 'plaid', label: 'react-plaid-link `usePlaidLink`', code: "export { usePlaidLink } from 'react-plaid-link'" },
  { id: 'nango', label: '@nangohq/frontend (default export)', code: "export { default } from '@nangohq/frontend'" },
  { id: 'merge', label: '@mergeapi/react-merge-link `useMergeLink`', code: "export { useMergeLink } from '@mergeapi/react-merge-link'" },
]

/** `node_modules/@scope/name/…` or `node_modules/name/…` → the package name (innermost copy). */
function packageOf(path) {
  const parts = path.split('node_modules/')
  if (parts.length < 2) return null
  const segments = parts[parts.length - 1].split('/')
  return segments[0].startsWith('@') ? `${segments[0]}/${segments[1]}` : segments[0]
}

async function measure(target) {
  const result = await build({
    stdin: { contents: target.code, resolveDir: root, loader: 'js', sourcefile: `${target.id}.js` },
    absWorkingDir: root,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    define: { 'process.env.NODE_ENV': '"production"' },
    external,
    write: false,
    metafile: true,
    logLevel: 'error',
  })
  const code = result.outputFiles[0].contents
  // Inputs esbuild parsed but tree-shook away entirely are not shipped, so only count bytes kept.
  const kept = Object.entries(Object.values(result.metafile.outputs)[0].inputs).filter(([, input]) => input.bytesInOutput > 0)
  const packages = [...new Set(kept.map(([path]) => packageOf(path)).filter(Boolean))].sort()
  return { id: target.id, label: target.label, minified: code.length, gzip: gzipSync(code, { level: 9 }).length, packages }
}

function newestIn(dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs)
  }
  return newest
}

/** Builds dist/ when it is missing or older than a source file, so nothing measures a stale build. */
export function ensureFreshBuild() {
  const built = resolve(root, 'dist/esm/index.js')
  const sources = Math.max(newestIn(resolve(root, 'src')), statSync(resolve(root, 'package.json')).mtimeMs)
  if (!existsSync(built) || statSync(built).mtimeMs < sources) {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })
  }
}

/** Sizes of ours and of the peers (and, asked, the button with each locale), in bytes. Needs `dist/` (run `npm run build` first). */
export async function measureBundleSizes({ locales = false } = {}) {
  if (!existsSync(resolve(root, 'dist/esm/index.js'))) throw new Error('dist/ is missing: run `npm run build` first')
  const ours = []
  for (const target of OURS) ours.push(await measure(target))
  const peers = []
  for (const target of PEERS) peers.push(await measure(target))
  const withLocale = []
  if (locales) for (const target of WITH_LOCALE) withLocale.push(await measure(target))
  return { ours, peers, withLocale }
}

export const kb = bytes => `${(bytes / 1024).toFixed(2)} KB`

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = await measureBundleSizes({ locales: true })
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(sizes, null, 2))
  } else {
    for (const row of [...sizes.ours, ...sizes.withLocale, ...sizes.peers]) {
      console.log(`${row.label.padEnd(48)} ${String(row.gzip).padStart(7)} B gzip  ${String(row.minified).padStart(7)} B min  ${row.packages.join(', ') || '—'}`)
    }
  }
}
