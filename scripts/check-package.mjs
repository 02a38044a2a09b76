// Checks the built package as a user gets it: publint and attw on the packed tarball, the guides
// the README links to, the 'use client' directive, entry sizes, server-safe imports, and that importing only the hook
// leaves SWR, the dialog and the Slot out of a host bundle.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'

const run = (command, args, options = {}) => execFileSync(command, args, { stdio: 'inherit', ...options })
const failures = []
const check = (ok, message) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${message}`)
  if (!ok) failures.push(message)
}

const work = mkdtempSync(join(tmpdir(), 'rpc-pack-'))
const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { encoding: 'utf8' }).trim().split('\n').pop()
const packed = join(work, tarball)
run('npx', ['publint', '--strict', packed])
// node10 resolution cannot see subpath exports at all; every maintained resolver can. The
// stylesheet has no types to check.
run('npx', ['attw', packed, '--profile', 'node16', '--exclude-entrypoints', './styles.css'])

// The README links to the guides on unpkg (the registry page and the tarball have no repository
// around them): each one it names must be in the tarball, and so must every guide.
const packedFiles = new Set(execFileSync('tar', ['-tzf', packed], { encoding: 'utf8' }).split('\n').map(line => line.replace(/^package\//, '')))
const linked = [...readFileSync('README.md', 'utf8').matchAll(/\]\(https:\/\/unpkg\.com\/react-provider-connect\/([^)#\s]+)/g)].map(match => match[1])
const guides = readdirSync('docs').map(name => `docs/${name}`)
const missing = [...new Set([...linked, ...guides])].filter(path => !packedFiles.has(path))
check(linked.length > 0 && missing.length === 0, `the tarball holds the README's ${linked.length} unpkg links and all ${guides.length} guides${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`)

for (const format of ['esm', 'cjs']) {
  const first = readFileSync(`dist/${format}/index.js`, 'utf8').split('\n')[0]
  check(/^['"]use client['"];?$/.test(first), `dist/${format}/index.js starts with 'use client'`)
  const core = readFileSync(`dist/${format}/core/index.js`, 'utf8')
  check(!/from ['"]react['"]|require\(['"]react['"]\)/.test(core), `dist/${format}/core imports no React`)
}

// Minified + gzipped sizes of what each entry pulls in (its own file and its chunks).
const sizes = {}
for (const entry of ['index', 'core/index', 'callback/index', 'testing/index']) {
  const out = join(work, `size-${entry.replace('/', '-')}.js`)
  run('npx', ['esbuild', `dist/esm/${entry}.js`, '--bundle', '--minify', '--format=esm', `--outfile=${out}`, '--external:react', '--external:react-dom', '--external:swr', '--external:clsx', '--external:@radix-ui/*', '--log-level=warning'])
  sizes[entry] = gzipSync(readFileSync(out)).length
}
console.log('gzip sizes (bytes, minified, dependencies excluded):', JSON.stringify(sizes))
check(sizes['callback/index'] < 1024, `callback entry is under 1 KB gzip (${sizes['callback/index']} B)`)

// A host app that imports only the hook must not get SWR, the list's dialog or the button's Slot.
const host = join(work, 'host.js')
writeFileSync(host, `import { useSetupSession } from ${JSON.stringify(resolve('dist/esm/index.js'))}\nexport { useSetupSession }\n`)
const bundle = join(work, 'host-bundle.js')
run('npx', ['esbuild', host, '--bundle', '--format=esm', `--outfile=${bundle}`, '--external:react', '--external:react-dom', '--log-level=warning'])
const hostCode = readFileSync(bundle, 'utf8')
check(!/useSWR|SWRConfig|swr/i.test(hostCode), 'importing only useSetupSession leaves SWR out')
check(!/showModal|asChild|clsx/i.test(hostCode), 'importing only useSetupSession leaves the dialog, the Slot and clsx out')
check(!/radix|DismissableLayer|FocusScope|RemoveScroll/i.test(hostCode), 'importing only useSetupSession leaves Radix out')
for (const format of ['esm', 'cjs']) {
  const built = readFileSync(`dist/${format}/index.js`, 'utf8')
  check(/@radix-ui\/react-dialog/.test(built) && !/DismissableLayer/.test(built), `dist/${format} imports @radix-ui/react-dialog instead of bundling it`)
}

// The labels are plain data for Server Components: no 'use client', no React, readable in plain Node.
for (const format of ['esm', 'cjs']) {
  const labels = readFileSync(`dist/${format}/labels/index.js`, 'utf8')
  check(!/use client/.test(labels.split('\n')[0]) && !/from ['"]react['"]|require\(['"]react['"]\)/.test(labels), `dist/${format}/labels is plain data (no 'use client', no React)`)
}
run('node', ['-e', "import('./dist/esm/labels/index.js').then(m => { if (m.defaultConnectionsListLabels === undefined || m.defaultConnectButtonLabels === undefined) process.exit(1) })"])
check(true, 'labels entry loads in Node with its defaults')

// The locales too: plain data a Server Component or the server's link pages can import.
for (const format of ['esm', 'cjs']) {
  const locales = readFileSync(`dist/${format}/locales/index.js`, 'utf8')
  check(!/use client/.test(locales.split('\n')[0]) && !/from ['"]react['"]|require\(['"]react['"]\)/.test(locales), `dist/${format}/locales is plain data (no 'use client', no React)`)
}
run('node', ['-e', "import('./dist/esm/locales/index.js').then(m => { for (const name of ['en', 'de', 'fr', 'es', 'ja', 'ptBR', 'zhCN', 'ar']) if (typeof m[name]?.code !== 'string') process.exit(1) })"])
run('node', ['-e', "const m = require('./dist/cjs/locales/index.js'); if (m.ar.dir !== 'rtl' || m.en.dir !== 'ltr') process.exit(1)"])
check(true, 'locales entry loads in Node (ESM and CJS) with its eight languages')

// The server entry loads in plain Node, where there is no window or document.
run('node', ['-e', "import('./dist/esm/server/index.js').then(m => { if (typeof m.createConnectHandler !== 'function') process.exit(1) })"])
run('node', ['-e', "const m = require('./dist/cjs/server/index.js'); if (typeof m.createConnectHandler !== 'function') process.exit(1)"])
check(true, 'server entry loads in Node (ESM and CJS)')

// The simulation ships for host apps' local development: it loads in plain Node and answers the
// server helper without a key, in both formats.
const simulationSmoke = (format, load) => `
  const load = ${load};
  (async () => {
    const { createMetorialSimulation } = await load('./dist/${format}/simulation/index.js')
    const { createConnectServer, memoryConnectionStore } = await load('./dist/${format}/server/index.js')
    const sim = createMetorialSimulation()
    const connect = createConnectServer({ apiKey: sim.apiKey, baseUrl: 'http://metorial.test', fetch: (i, init) => sim.handle(new Request(i, init)), getUserId: () => 'u', store: memoryConnectionStore() })
    const res = await connect.handler(new Request('http://app.test/api/connect/setup-sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"providerId":"slack"}' }))
    if (res.status !== 201) process.exit(1)
  })().catch(() => process.exit(1))`
run('node', ['--input-type=module', '-e', simulationSmoke('esm', '(path) => import(path)')])
run('node', ['-e', simulationSmoke('cjs', '(path) => Promise.resolve(require(path))')])
check(true, 'simulation entry runs the server helper without a key in Node (ESM and CJS)')

if (failures.length) {
  console.error(`\n${failures.length} package check(s) failed`)
  process.exit(1)
}
console.log('\npackage checks passed')
