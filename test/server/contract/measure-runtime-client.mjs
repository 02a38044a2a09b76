#!/usr/bin/env node
/**
 * Should the server helper call Metorial through the official generated client at run time?
 * Measures both ways of talking to Metorial, bundled as an edge route would be (esbuild, minified,
 * ESM, tree-shaken), and loaded cold in Node: bundle bytes (min and min+gzip), import time (median
 * of 7 fresh processes) and resident memory after import (median, minus a bare `node`'s).
 *
 *   node test/server/contract/measure-runtime-client.mjs
 *
 * The figures and the decision are in docs/server.md ("Calling Metorial: our client or the official one").
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = resolve(import.meta.dirname, '../../..')
const OFFICIAL = `
export {
  MetorialProviderDeploymentsSetupSessionsEndpoint,
  MetorialProviderDeploymentsAuthConfigsEndpoint,
  MetorialProviderDeploymentsAuthConfigsExportsEndpoint,
  MetorialProviderDeploymentsAuthConfigsImportsEndpoint,
  MetorialProviderDeploymentsAuthCredentialsEndpoint,
} from '@metorial/generated/src/mt_2026_01_01_magnetar'
export { MetorialProviderOauthSessionsEndpoint } from '@metorial/generated'
export { MetorialEndpointManager } from '@metorial/util-endpoint'
`
const OURS = `
export { createMetorialClient } from './src/server/metorial/client.ts'
export { setupSessionsApi } from './src/server/metorial/setup-sessions.ts'
export { oauthSessionsApi } from './src/server/metorial/oauth-sessions.ts'
`
const ROUTE = `export { createConnectHandler } from './src/server/index.ts'\n`

const entries = {
  // The ESM loader's own cost, paid by any import: the rows below include it.
  'an empty module (the loader alone)': 'export {}\n',
  'our client (what the official one would replace)': OURS,
  'official client, the endpoints the helper needs': OFFICIAL,
  'edge route today (createConnectHandler)': ROUTE,
  'edge route with the official client added': ROUTE + OFFICIAL,
}

const dir = mkdtempSync(join(tmpdir(), 'rpc-runtime-client-'))
const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

function load(file) {
  const script = `const t=performance.now();await import(${JSON.stringify(file ?? 'node:os')});const ms=performance.now()-t;console.log(JSON.stringify({ms,rss:process.memoryUsage().rss}))`
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }))
}

try {
  const bare = median(Array.from({ length: 7 }, () => load(null).rss))
  const rows = []
  let index = 0
  for (const [name, contents] of Object.entries(entries)) {
    const outfile = join(dir, `entry-${index++}.mjs`)
    await build({
      stdin: { contents, resolveDir: root, loader: 'ts', sourcefile: 'entry.ts' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      external: ['node:*'],
      // What an edge bundler (Vercel, Cloudflare) resolves: the browser field first (qs maps node's util away there).
      mainFields: ['browser', 'module', 'main'],
      conditions: ['import', 'worker'],
      outfile,
      logLevel: 'error',
    })
    const bytes = statSync(outfile).size
    const gzip = gzipSync(readFileSync(outfile), { level: 9 }).length
    const runs = Array.from({ length: 7 }, () => load(outfile))
    rows.push({ name, minKB: +(bytes / 1024).toFixed(1), gzipKB: +(gzip / 1024).toFixed(1), importMs: +median(runs.map(run => run.ms)).toFixed(1), rssMB: +((median(runs.map(run => run.rss)) - bare) / 2 ** 20).toFixed(1) })
  }
  console.table(rows)
  console.log(`node ${process.version}, bare node RSS ${(bare / 2 ** 20).toFixed(1)} MB (subtracted)`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
