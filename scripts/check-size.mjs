// Size budgets of what a host app ships (minified + gzip -9, React external, our dependencies
// bundled in), run by `npm test`. Budgets may be tightened, never loosened without a note in
// docs/performance.md.
import { ensureFreshBuild, kb, measureBundleSizes } from './bundle-sizes.mjs'
import { BUDGETS, LOCALE_BUDGET } from './size-budgets.mjs'

ensureFreshBuild()

const { ours, withLocale } = await measureBundleSizes({ locales: true })
let failed = 0
for (const [id, budget] of Object.entries(BUDGETS)) {
  const row = ours.find(r => r.id === id)
  const ok = row.gzip <= budget
  if (!ok) failed++
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${row.label}: ${kb(row.gzip)} gzip (budget ${kb(budget)})`)
}
// An app importing no locale ships the button as measured above (no byte of a locale in it); one
// locale adds at most LOCALE_BUDGET to it.
const button = ours.find(r => r.id === 'button')
for (const row of withLocale) {
  const added = row.gzip - button.gzip
  const ok = added <= LOCALE_BUDGET
  if (!ok) failed++
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${row.label}: ${kb(row.gzip)} gzip, +${added} B for the locale (budget +${kb(LOCALE_BUDGET)})`)
}
if (failed) {
  console.error(`\n${failed} size budget(s) exceeded: find where the bytes went (node scripts/bundle-sizes.mjs) before raising a budget`)
  process.exit(1)
}
