/**
 * Several locales and server rendering: the server (which cannot know the browser's languages)
 * renders the first, hydration matches it with no warning, and the browser's match applies right
 * after.
 */
import { act } from '@testing-library/react'
import { renderToString } from 'react-dom/server'
import { hydrateRoot } from 'react-dom/client'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConnectProvider, ProviderConnectButton } from '../../src/index.js'
import { de, ja } from '../../src/locales/index.js'
import { createMockBackend } from '../../src/testing/index.js'

afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('locale={[de, ja]} on the server and in the browser', () => {
  it('renders the first on the server, hydrates without a mismatch, then follows the browser', async () => {
    const backend = createMockBackend()
    const app = (
      <ConnectProvider backend={backend} locale={[de, ja]}>
        <ProviderConnectButton providerId="acme" providerName="Acme" />
      </ConnectProvider>
    )
    const html = renderToString(app)
    expect(html).toContain('lang="de"')

    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['ja-JP', 'en'])
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const container = document.createElement('div')
    container.innerHTML = html
    document.body.append(container)
    const recoverable: unknown[] = []
    await act(async () => {
      hydrateRoot(container, app, { onRecoverableError: error => void recoverable.push(error) })
    })
    expect(recoverable).toEqual([])
    expect(errors).not.toHaveBeenCalled()
    expect(container.querySelector('.rpc-button')).toHaveAttribute('lang', 'ja')
  })
})
