// The connect link's pages, rendered into a document (jsdom) and checked with axe: each kind, with
// and without the app's name. They are plain HTML: no script, one heading, at most one button.
import { afterEach, describe, expect, it } from 'vitest'
import { renderLinkPage, type LinkPageKind } from '../../src/server/pages/link-pages.js'
import { axe } from '../axe.js'

const KINDS: LinkPageKind[] = ['start', 'connected', 'failed', 'expired', 'used', 'not_found', 'busy', 'error']

function load(html: string): void {
  const parsed = new DOMParser().parseFromString(html, 'text/html')
  document.replaceChild(document.importNode(parsed.documentElement, true), document.documentElement)
}

afterEach(() => {
  document.documentElement.innerHTML = '<head></head><body></body>'
})

describe('connect link pages', () => {
  for (const kind of KINDS) {
    it(`the ${kind} page passes axe, has a title, one heading and no script`, async () => {
      load(renderLinkPage({ kind, providerName: 'Slack', appName: 'Acme', action: 'token' }))
      expect(await axe(document.documentElement)).toEqual([])
      expect(document.documentElement.lang).toBe('en')
      expect(document.title).not.toBe('')
      expect(document.querySelectorAll('h1')).toHaveLength(1)
      expect(document.querySelectorAll('script')).toHaveLength(0)
      expect(document.querySelectorAll('button').length).toBeLessThanOrEqual(1)
      expect(document.querySelector('meta[name="viewport"]')?.getAttribute('content')).toBe('width=device-width, initial-scale=1')
    })
  }

  it('names the provider and the app, escaped', () => {
    load(renderLinkPage({ kind: 'start', providerName: 'Slack', appName: '<b>Acme</b>', action: 'token' }))
    expect(document.querySelector('h1')?.textContent).toBe('Connect Slack')
    expect(document.querySelector('button')?.textContent).toBe('Connect Slack')
    expect(document.querySelector('p')?.textContent).toBe('<b>Acme</b> asks to connect your Slack account.')
    expect(document.querySelector('b')).toBeNull()
    expect(document.querySelector('form')?.getAttribute('method')).toBe('post')
  })

  it('follows the library’s look in light and dark, and fits a narrow screen', () => {
    const html = renderLinkPage({ kind: 'start', providerName: 'Slack', appName: null, action: 'token' })
    expect(html).toMatch(/--accent:#2f5bea/)
    expect(html).toMatch(/@media \(prefers-color-scheme:dark\)\{:root\{--bg:#121418/)
    expect(html).toMatch(/max-width:26rem/)
    expect(html).not.toMatch(/[^-]width:\d{3,}px/)
  })
})
