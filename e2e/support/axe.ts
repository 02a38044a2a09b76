import { createRequire } from 'node:module'
import type { Frame, Page } from 'playwright-core'

const require = createRequire(import.meta.url)
const AXE_PATH = require.resolve('axe-core/axe.min.js')

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: Array<{ target: string; html: string; summary: string }>
}

export interface AxeSummary {
  /** What was checked: a playground state or a story id. */
  name: string
  violations: AxeViolation[]
  passes: number
  incomplete: number
}

interface RawResult {
  violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown[]; html: string; failureSummary?: string }> }>
  passes: unknown[]
  incomplete: unknown[]
}

/** Runs axe-core (WCAG 2.2 A/AA tags) on the page, or on `selector` within it. */
export async function runAxe(page: Page | Frame, name: string, selector?: string): Promise<AxeSummary> {
  const hasAxe = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined')
  if (!hasAxe) await page.addScriptTag({ path: AXE_PATH })
  const raw = (await page.evaluate(
    async ({ tags, selector }) => {
      const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<unknown> } }).axe
      const context = selector ? document.querySelector(selector) ?? document : document
      return axe.run(context, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    },
    { tags: WCAG_TAGS, selector },
  )) as RawResult
  return {
    name,
    passes: raw.passes.length,
    incomplete: raw.incomplete.length,
    violations: raw.violations.map(violation => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      nodes: violation.nodes.map(node => ({ target: node.target.map(String).join(' '), html: node.html.slice(0, 200), summary: node.failureSummary ?? '' })),
    })),
  }
}

export function formatViolations(summary: AxeSummary): string {
  return summary.violations
    .map(violation => `${violation.id} (${violation.impact}): ${violation.help}\n${violation.nodes.map(node => `  ${node.target}: ${node.html}\n    ${node.summary.replace(/\n/g, '\n    ')}`).join('\n')}`)
    .join('\n')
}
