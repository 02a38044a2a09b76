// The last step of `npm run bench`: bundle sizes (ours and the peers') and the request counts left
// by bench/requests.report.tsx, printed as one table and kept as bench/results/latest.json. The
// run before moves to previous.json, and every number that changed shows its difference.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { ensureFreshBuild, measureBundleSizes } from './bundle-sizes.mjs'
import { BUDGETS } from './size-budgets.mjs'

const LATEST = 'bench/results/latest.json'
const PREVIOUS = 'bench/results/previous.json'
const REQUESTS = 'bench/results/.requests.json'

if (!existsSync(REQUESTS)) throw new Error(`${REQUESTS} is missing: run \`npm run bench\`, which measures it first`)
ensureFreshBuild()
const latest = { date: new Date().toISOString(), sizes: await measureBundleSizes(), requests: JSON.parse(readFileSync(REQUESTS, 'utf8')) }
const previous = existsSync(LATEST) ? JSON.parse(readFileSync(LATEST, 'utf8')) : null
if (previous) renameSync(LATEST, PREVIOUS)
writeFileSync(LATEST, JSON.stringify(latest, null, 2) + '\n')

const delta = (now, before, unit = '') => {
  if (before === undefined || before === now) return ''
  const d = now - before
  return ` (${d > 0 ? '+' : ''}${d}${unit})`
}
const bytes = n => n.toLocaleString('en-US')
const table = (header, rows) => [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map(r => `| ${r.join(' | ')} |`)].join('\n')

/** `@radix-ui/react-dialog, @radix-ui/react-slot, swr` → `@radix-ui/* (2), swr`; the JSON keeps every name. */
function packageList(packages) {
  if (!packages.length) return '—'
  const scopes = new Map()
  for (const name of packages) {
    const key = name.startsWith('@') ? `${name.split('/')[0]}/*` : name
    scopes.set(key, (scopes.get(key) ?? 0) + 1)
  }
  return [...scopes].map(([key, n]) => (key.endsWith('/*') && n > 1 ? `${key} (${n})` : key.endsWith('/*') ? packages.find(p => p.startsWith(key.slice(0, -1))) : key)).join(', ')
}

const sizeRow = (row, before) => [
  row.label,
  `${bytes(row.gzip)} B${delta(row.gzip, before?.gzip, ' B')}`,
  `${bytes(row.minified)} B${delta(row.minified, before?.minified, ' B')}`,
  BUDGETS[row.id] ? `${(BUDGETS[row.id] / 1024).toFixed(1)} KB` : '—',
  packageList(row.packages),
]
const beforeSize = (group, id) => previous?.sizes?.[group]?.find(r => r.id === id)

console.log(`\nBundle size: esbuild --bundle --minify --format=esm, React external, gzip -9 (${latest.date})\n`)
console.log(
  table(
    ['import', 'min + gzip', 'min', 'budget', 'packages pulled in'],
    [...latest.sizes.ours.map(r => sizeRow(r, beforeSize('ours', r.id))), ...latest.sizes.peers.map(r => sizeRow(r, beforeSize('peers', r.id)))],
  ),
)

const cell = (count, before) => {
  const list = count.list ? `, ${count.list} list` : ''
  const seconds = ms => `${(ms / 1000).toFixed(1)} s`
  const upTo = count.noticedAfterMs > 0 ? ` (up to ${seconds(count.pollGapMs)}${delta(count.pollGapMs, before?.pollGapMs, ' ms')})` : ''
  return `${count.total}${delta(count.total, before?.total)} requests${list}${delta(count.list, before?.list)}; heard after ${seconds(count.noticedAfterMs)}${delta(count.noticedAfterMs, before?.noticedAfterMs, ' ms')}${upTo}`
}
const beforeRequests = (scenario, consent) => previous?.requests?.find(r => r.scenario === scenario && r.consent === consent)
const consents = [...new Set(latest.requests.map(r => r.consent))]
console.log('\nBackend requests per connect (fake clock), and how long after the backend completes the app hears it\n')
console.log(
  table(
    ['time on the consent page', 'one flow, fast path', 'one flow, polling only', 'page (10 buttons + list), fast path', 'page, polling only'],
    consents.map(consent => {
      const flow = latest.requests.find(r => r.scenario === 'flow' && r.consent === consent)
      const page = latest.requests.find(r => r.scenario === 'page' && r.consent === consent)
      const flowBefore = beforeRequests('flow', consent)
      const pageBefore = beforeRequests('page', consent)
      return [consent, cell(flow.fastPath, flowBefore?.fastPath), cell(flow.pollingOnly, flowBefore?.pollingOnly), cell(page.fastPath, pageBefore?.fastPath), cell(page.pollingOnly, pageBefore?.pollingOnly)]
    }),
  ),
)
console.log(previous ? `\nDifferences in parentheses are against the run of ${previous.date} (${PREVIOUS}).` : '\nNo previous run: the next one will show differences against this one.')
console.log(`Written to ${LATEST}.`)
