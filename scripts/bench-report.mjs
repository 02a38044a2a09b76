// The last step of `npm run bench`: bundle sizes (ours and the peers') and the request counts left
// by bench/requests.report.tsx, printed as one table and kept as bench/results/latest.json. The
// run before moves to previous.json, and every number that changed shows its difference.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { ensureFreshBuild, measureBundleSizes } from './bundle-sizes.mjs'
import { BUDGETS } from './size-budgets.mjs'

const LATEST = 'bench/results/latest.json'
const PREVIOUS = 'bench/results/previous.json'
/** What the earlier steps of `npm run bench` leave behind. */
const INPUTS = {
  requests: 'bench/results/.requests.json',
  render: 'bench/results/.render.json',
  latency: 'bench/results/.latency.json',
  timing: 'bench/results/.timing.json',
}

const read = path => {
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run bench\`, which measures it first`)
  return JSON.parse(readFileSync(path, 'utf8'))
}

/** Vitest's bench JSON → `{ [group]: { [bench]: { median, p75, p99, samples } } }` in ms. */
function timings(report) {
  const out = {}
  for (const file of report.files) {
    for (const group of file.groups) {
      const name = group.fullName.split(' > ').slice(1).join(' > ')
      out[name] = {}
      for (const b of group.benchmarks) {
        out[name][b.name] = { median: round(b.median), p75: round(b.p75), p99: round(b.p99), samples: b.sampleCount }
      }
    }
  }
  return out
}
const round = n => Math.round(n * 1000) / 1000

ensureFreshBuild()
const latest = {
  date: new Date().toISOString(),
  sizes: await measureBundleSizes(),
  requests: read(INPUTS.requests),
  latency: read(INPUTS.latency),
  render: read(INPUTS.render),
  timing: timings(read(INPUTS.timing)),
}
const previous = existsSync(LATEST) ? JSON.parse(readFileSync(LATEST, 'utf8')) : null
if (previous) renameSync(LATEST, PREVIOUS)
writeFileSync(LATEST, JSON.stringify(latest, null, 2) + '\n')

const delta = (now, before, unit = '') => {
  if (before === undefined || before === now) return ''
  // Rounded like the numbers themselves, so 0.1 − 0.3 reads −0.2, not −0.19999999999999998.
  const d = round(now - before)
  return ` (${d > 0 ? '+' : ''}${d}${unit})`
}
const bytes = n => n.toLocaleString('en-US')
const table = (header, rows) => [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map(r => `| ${r.join(' | ')} |`)].join('\n')

/** `@scope/a, @scope/b, swr` → `@scope/* (2), swr`; the JSON keeps every name. */
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
  // Two decimals where the budget has them (12.35 KB), else one (10.4 KB).
  BUDGETS[row.id] ? `${(BUDGETS[row.id] / 1024).toFixed(2).replace(/0$/, '')} KB` : '—',
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
const ms = (now, before) => `${now} ms${delta(now, before)}`

const latencyRow = (label, now, before) => [label, ms(now.medianMs, before?.medianMs), ms(now.p95Ms, before?.p95Ms), `${now.minMs}–${now.maxMs} ms`, String(now.samples.length)]
console.log('\nCompletion latency in Chromium on the playground: the callback page starting to load → `onConnected` shown\n')
console.log(
  table(
    ['', 'median', 'p95', 'range', 'runs'],
    [
      latencyRow('fast path (the callback page signals the opener)', latest.latency.fastPath, previous?.latency?.fastPath),
      latencyRow('polling only (the callback page cannot signal)', latest.latency.pollingOnly, previous?.latency?.pollingOnly),
    ],
  ),
)

const r = latest.render
const rb = previous?.render
console.log(`\nRender cost (React <Profiler>; ${r.note})\n`)
console.log(
  table(
    ['measure', 'value'],
    [
      ['one button: React commits from the click to connected', `${r.button.commitsClickToConnected}${delta(r.button.commitsClickToConnected, rb?.button?.commitsClickToConnected)}`],
      ['one button: render time of those commits', ms(r.button.renderMsTotal, rb?.button?.renderMsTotal)],
      [`ConnectionsList, ${r.list200.providers} providers: commits until ready`, `${r.list200.commitsUntilReady}${delta(r.list200.commitsUntilReady, rb?.list200?.commitsUntilReady)}`],
      [`ConnectionsList, ${r.list200.providers} providers: mount, median of ${r.list200.mountMs.runs}`, ms(r.list200.mountMs.median, rb?.list200?.mountMs?.median)],
      [`ConnectionsList, ${r.list200.providers} providers: mount, p95`, ms(r.list200.mountMs.p95, rb?.list200?.mountMs?.p95)],
      ['ConnectionsList: one row starts connecting, median', ms(r.list200.updateOneRowMs.median, rb?.list200?.updateOneRowMs?.median)],
    ],
  ),
)

console.log('\nServer (Node, in process; vitest bench medians)\n')
const serverRows = []
for (const [group, benches] of Object.entries(latest.timing)) {
  for (const [name, t] of Object.entries(benches)) {
    const before = previous?.timing?.[group]?.[name]
    serverRows.push([group, name, ms(t.median, before?.median), `${t.p99} ms`, String(t.samples)])
  }
}
console.log(table(['group', 'measure', 'median', 'p99', 'samples'], serverRows))

console.log(previous ? `\nDifferences in parentheses are against the run of ${previous.date} (${PREVIOUS}).` : '\nNo previous run: the next one will show differences against this one.')
console.log(`Written to ${LATEST}.`)
