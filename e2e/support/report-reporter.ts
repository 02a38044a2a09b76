import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { Reporter, TestModule } from 'vitest/node'
import type { E2eMeta } from './artifacts.js'

const ARTIFACTS_DIR = join(process.cwd(), '.e2e-artifacts')

/** Writes `.e2e-artifacts/report.json` (per-path results and durations, axe summary, flow metrics) and prints a summary. */
export default class E2eReportReporter implements Reporter {
  #started = Date.now()

  onTestRunStart(): void {
    this.#started = Date.now()
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const tests = []
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const meta = (test.meta() as { e2e?: E2eMeta }).e2e ?? {}
        tests.push({
          file: relative(process.cwd(), module.moduleId),
          name: test.fullName,
          result: test.result().state,
          durationMs: Math.round(test.diagnostic()?.duration ?? 0),
          errors: test.result().errors?.map(error => error.message) ?? [],
          axe: meta.axe ?? [],
          metrics: meta.metrics,
          notes: meta.notes,
        })
      }
    }
    if (tests.length === 0) return
    const axeChecks = tests.flatMap(test => test.axe)
    const axe = {
      tags: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'],
      checked: axeChecks.length,
      withViolations: axeChecks.filter(check => check.violations.length > 0).map(check => ({ name: check.name, violations: check.violations })),
      checks: axeChecks.map(check => ({ name: check.name, violations: check.violations.map(violation => violation.id), passes: check.passes })),
    }
    const metrics = Object.assign({}, ...tests.map(test => test.metrics ?? {}))
    const report = {
      generatedAt: new Date().toISOString(),
      totalMs: Date.now() - this.#started,
      passed: tests.filter(test => test.result === 'passed').length,
      failed: tests.filter(test => test.result === 'failed').length,
      skipped: tests.filter(test => test.result === 'skipped' || test.result === 'pending').length,
      tests: tests.map(({ axe: checks, ...test }) => ({ ...test, axe: checks.map(check => `${check.name}: ${check.violations.length} violations`) })),
      axe,
      metrics,
    }
    mkdirSync(ARTIFACTS_DIR, { recursive: true })
    const file = join(ARTIFACTS_DIR, 'report.json')
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)

    const lines = ['', 'End-to-end summary (Chromium)']
    for (const test of tests) {
      lines.push(`  ${test.result === 'passed' ? 'ok  ' : test.result === 'failed' ? 'FAIL' : 'skip'} ${(test.durationMs / 1000).toFixed(1).padStart(5)} s  ${test.name}`)
    }
    lines.push(`  axe (WCAG 2.2 A/AA): ${axe.checked} pages/states checked, ${axe.withViolations.length} with violations`)
    for (const check of axe.withViolations) lines.push(`    ${check.name}: ${check.violations.map(violation => violation.id).join(', ')}`)
    const flow = metrics as Record<string, unknown>
    if (flow.callbackToConnectedMs !== undefined) {
      lines.push(`  callback page → onConnected: ${String(flow.callbackToConnectedMs)} ms; /api/connect requests in one connect: ${String(flow.connectRequestCount)}`)
    }
    lines.push(`  ${(report.totalMs / 1000).toFixed(1)} s · ${relative(process.cwd(), file)}`)
    // Alone on its line, so CI can read the count.
    lines.push(`e2e: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`, '')
    process.stdout.write(`${lines.join('\n')}\n`)
  }
}
