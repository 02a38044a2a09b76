// Runs the request-count scenarios (bench/requests.tsx) under vitest's fake timers and leaves
// the numbers for scripts/bench-report.mjs, which prints them with the bundle sizes.
import { writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CONSENT_TIMES, flowRequests, pageRequests } from './requests.js'
import type { RequestCount } from './requests.js'

export const REQUESTS_FILE = 'bench/results/.requests.json'

interface Row {
  scenario: 'flow' | 'page'
  consent: string
  fastPath: RequestCount
  pollingOnly: RequestCount
}

const rows: Row[] = []

describe('backend requests per connect', () => {
  for (const consent of CONSENT_TIMES) {
    it(`one flow, ${consent.label} on the consent page`, async () => {
      const fastPath = await flowRequests(consent.ms, true)
      const pollingOnly = await flowRequests(consent.ms, false)
      // The fast path is heard on the next turn; polling waits for its next tick.
      expect(fastPath.noticedAfterMs).toBeLessThanOrEqual(pollingOnly.noticedAfterMs)
      expect(fastPath.create).toBe(1)
      rows.push({ scenario: 'flow', consent: consent.label, fastPath, pollingOnly })
    })
  }
  for (const consent of CONSENT_TIMES) {
    it(`page with 10 buttons and a ConnectionsList, ${consent.label} on the consent page`, async () => {
      const fastPath = await pageRequests(consent.ms, true)
      const pollingOnly = await pageRequests(consent.ms, false)
      expect(fastPath.noticedAfterMs).toBeLessThanOrEqual(pollingOnly.noticedAfterMs)
      // Nine idle buttons and the list never create a session.
      expect(fastPath.create).toBe(1)
      expect(fastPath.list).toBeGreaterThan(0)
      rows.push({ scenario: 'page', consent: consent.label, fastPath, pollingOnly })
    })
  }
  it('writes the numbers for the report', () => {
    expect(rows).toHaveLength(CONSENT_TIMES.length * 2)
    writeFileSync(REQUESTS_FILE, JSON.stringify(rows, null, 2) + '\n')
  })
})
