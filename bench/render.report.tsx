// Runs the render-cost scenarios (bench/render.tsx) with React's <Profiler> under vitest's fake
// timers and leaves the numbers in bench/results/.render.json for the report.
//
// Vitest runs React's development build in jsdom: every duration here is a dev-mode jsdom number
// (see `note` in the JSON), good for comparing versions on one machine, not for production claims.
import { writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buttonRender, LIST_CONNECTED, LIST_SIZE, listRun, NOTE } from './render.js'
import type { ButtonRender, ListRun, Phase } from './render.js'
import { median, quantile } from './stats.js'

export const RENDER_FILE = 'bench/results/.render.json'

const LIST_RUNS = 20
/** A sane upper bound: far above what a connect needs, far below a render loop. */
const MAX_BUTTON_COMMITS = 50

const round = (ms: number) => Math.round(ms * 100) / 100

let button: ButtonRender | undefined
const listRuns: ListRun[] = []

describe('render cost (React Profiler, dev build in jsdom)', () => {
  it('one button, from the click to connected', async () => {
    button = await buttonRender()
    expect(button.finalStatus).toBe('completed')
    expect(button.finalText).toContain('Slack connected')
    expect(button.onConnectedCalls).toBe(1)
    expect(button.commitsClickToConnected).toBeGreaterThan(0)
    expect(button.commitsClickToConnected).toBeLessThan(MAX_BUTTON_COMMITS)
    expect(button.commitsByPhase.mount).toBe(0)
    expect(button.renderMsTotal).toBeGreaterThan(0)
    // Nothing left to show once connected.
    expect(button.commitsAfterConnected).toBe(0)
  })

  it(`ConnectionsList of ${LIST_SIZE} providers, ${LIST_RUNS} fresh mounts`, async () => {
    for (let run = 0; run < LIST_RUNS; run++) {
      const result = await listRun()
      expect(result.rows).toBe(LIST_SIZE)
      expect(result.connectedRows).toBe(LIST_CONNECTED)
      expect(result.disconnectedRows).toBe(LIST_SIZE - LIST_CONNECTED)
      expect(result.commitsUntilReady).toBeGreaterThan(0)
      expect(result.mountMs).toBeGreaterThan(0)
      expect(result.updateOneRowCommits).toBeGreaterThan(0)
      expect(result.rowsChangedByUpdate).toBe(1)
      listRuns.push(result)
    }
    // Cold cache every run: the same commits each time.
    expect(new Set(listRuns.map(result => result.commitsUntilReady)).size).toBe(1)
  }, 120_000)

  it('writes the numbers for the report', () => {
    if (!button) throw new Error('the button scenario did not run')
    expect(listRuns).toHaveLength(LIST_RUNS)
    const mountMs = listRuns.map(result => result.mountMs)
    const updateMs = listRuns.map(result => result.updateOneRowMs)
    const report = {
      note: NOTE,
      button: {
        commitsClickToConnected: button.commitsClickToConnected,
        commitsByPhase: button.commitsByPhase satisfies Record<Phase, number>,
        renderMsTotal: round(button.renderMsTotal),
      },
      list200: {
        providers: LIST_SIZE,
        connected: LIST_CONNECTED,
        mountMs: {
          median: round(median(mountMs)),
          p95: round(quantile(mountMs, 0.95)),
          runs: LIST_RUNS,
          // Per commit until ready (first render with loading rows, …, the rows with their connections).
          byCommitMedian: (listRuns[0]?.readyCommitMs ?? []).map((_, i) => round(median(listRuns.map(result => result.readyCommitMs[i] ?? 0)))),
        },
        commitsUntilReady: listRuns[0]?.commitsUntilReady,
        updateOneRowMs: { median: round(median(updateMs)), p95: round(quantile(updateMs, 0.95)), commits: listRuns[0]?.updateOneRowCommits },
      },
    }
    writeFileSync(RENDER_FILE, JSON.stringify(report, null, 2) + '\n')
  })
})
