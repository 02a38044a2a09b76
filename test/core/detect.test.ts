import { describe, expect, it } from 'vitest'
import { prefersRedirect } from '../../src/core/index.js'
import { settingsOf } from '../../src/core/engine/settings.js'

/** Where `mode: 'auto'` picks redirect, and where nothing may navigate the page: inside a frame. */

const DESKTOP = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15'
const INSTAGRAM = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 334.0.4.32.98'
const at = (userAgent: string, isFramed: boolean) => ({ userAgent: () => userAgent, isFramed: () => isFramed })

describe('prefersRedirect', () => {
  it('prefers redirect in an in-app browser, at the top of the tab', () => {
    expect(prefersRedirect(at(INSTAGRAM, false))).toBe(true)
  })

  it('prefers the popup in a desktop browser, framed or not', () => {
    expect(prefersRedirect(at(DESKTOP, false))).toBe(false)
    expect(prefersRedirect(at(DESKTOP, true))).toBe(false)
  })

  it('prefers the popup in a frame, even in an in-app browser (redirecting would navigate the frame)', () => {
    expect(prefersRedirect(at(INSTAGRAM, true))).toBe(false)
  })
})

describe('settingsOf in a frame', () => {
  it("resolves 'auto' as told and keeps an explicit mode", () => {
    expect(settingsOf({ mode: 'auto' }, false, true).mode).toBe('popup')
    expect(settingsOf({ mode: 'auto' }, true).mode).toBe('redirect')
    expect(settingsOf({ mode: 'redirect' }, false, true).mode).toBe('redirect')
  })

  it('turns redirectFallback off in a frame, so a blocked popup offers the new tab instead', () => {
    expect(settingsOf({ redirectFallback: true }).redirectFallback).toBe(true)
    expect(settingsOf({ redirectFallback: true }, false, true).redirectFallback).toBe(false)
    expect(settingsOf({}).redirectFallback).toBe(false)
  })
})
