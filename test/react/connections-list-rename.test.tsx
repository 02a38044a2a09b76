import { render, screen, within } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { SWRConfig } from 'swr'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConnectionsList, ConnectionsListRoot, ConnectionsListRow, ConnectProvider } from '../../src/index.js'
import type { ConnectBackend, ConnectionsListProps, ConnectionsListProvider, PopupHandle } from '../../src/index.js'
import { createMockBackend } from '../../src/testing/index.js'
import { axe } from '../axe.js'

/**
 * Renaming an account inline in `ConnectionsList`: a Rename button per account opens a labelled
 * field; Enter or Save saves, Escape or Cancel cancels, focus returns to the Rename button; a name
 * refused here or by the backend is said under the field, which keeps what the user typed.
 */
const slack: ConnectionsListProvider = { providerId: 'slack', name: 'Slack' }
const github: ConnectionsListProvider = { providerId: 'github', name: 'GitHub' }
const providers = [slack, github]

const fakePopup = (): PopupHandle => ({ closed: false, focus() {}, close() {}, location: { replace() {} } })

function setup(backend: ConnectBackend, props: Partial<ConnectionsListProps> = {}, options: { timers?: boolean } = {}) {
  const user = options.timers ? userEvent.setup({ advanceTimers: vi.advanceTimersByTime }) : userEvent.setup()
  const view = render(
    // A fresh SWR cache per test; no BroadcastChannel, so tests never hear each other.
    <SWRConfig value={{ provider: () => new Map(), shouldRetryOnError: false }}>
      <ConnectProvider backend={backend} environment={{ openWindow: fakePopup, openChannel: () => null }}>
        <ConnectionsList providers={providers} {...props} />
      </ConnectProvider>
    </SWRConfig>,
  )
  return { user, ...view }
}

const row = (providerId: string) => {
  const item = document.querySelector<HTMLElement>(`li[data-provider="${providerId}"]`)
  if (!item) throw new Error(`No row for ${providerId}`)
  return item
}

const field = () => screen.getByRole('textbox', { name: 'Name of this Slack account' })
const listStatus = () => screen.getAllByRole('status').map(node => node.textContent)

afterEach(() => {
  vi.useRealTimers()
})

describe('ConnectionsList, renaming an account', () => {
  it('by keyboard: Rename opens a labelled field with the name, Enter saves the trimmed name, focus returns to Rename', async () => {
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack', name: 'Work' }] })
    const { user } = setup(backend)
    const rename = await screen.findByRole('button', { name: 'Rename Slack account (Work)' })
    expect(rename).toHaveTextContent(/^Rename$/)
    expect(rename).toHaveAttribute('aria-expanded', 'false')
    await user.tab()
    await user.tab()
    expect(rename).toHaveFocus()
    await user.keyboard('{Enter}')
    expect(field()).toHaveFocus()
    expect(field()).toHaveValue('Work')
    expect(rename).toHaveAttribute('aria-expanded', 'true')
    expect(await axe()).toEqual([])
    await user.clear(field())
    await user.keyboard('  Team workspace  {Enter}')
    await vi.waitFor(() => expect(screen.queryByRole('textbox')).toBeNull())
    expect(backend.calls.find(call => call.operation === 'renameConnection')?.argument).toEqual({ authConfigId: 'pac_1', name: 'Team workspace' })
    expect(backend.connections[0]?.name).toBe('Team workspace')
    expect(within(row('slack')).getByText('Team workspace')).toBeInTheDocument()
    const renamed = screen.getByRole('button', { name: 'Rename Slack account (Team workspace)' })
    expect(renamed).toBe(rename)
    expect(renamed).toHaveFocus()
    expect(renamed).toHaveAttribute('aria-expanded', 'false')
    expect(listStatus()).toContain('Slack account renamed to Team workspace.')
    expect(await axe()).toEqual([])
  })

  it('Save saves too, with a click', async () => {
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack', name: 'Work' }] })
    const { user } = setup(backend)
    await user.click(await screen.findByRole('button', { name: 'Rename Slack account (Work)' }))
    await user.clear(field())
    await user.type(field(), 'Ops')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    await vi.waitFor(() => expect(backend.connections[0]?.name).toBe('Ops'))
    await vi.waitFor(() => expect(screen.getByRole('button', { name: 'Rename Slack account (Ops)' })).toHaveFocus())
  })

  it('Escape cancels: nothing is sent, the name stays, focus returns to Rename; so does Cancel', async () => {
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack', name: 'Work' }] })
    const { user } = setup(backend)
    const rename = await screen.findByRole('button', { name: 'Rename Slack account (Work)' })
    await user.click(rename)
    await user.type(field(), ' changed')
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('textbox')).toBeNull()
    expect(rename).toHaveFocus()
    await user.click(rename)
    expect(field()).toHaveValue('Work')
    await user.type(field(), ' changed')
    await user.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByRole('textbox')).toBeNull()
    expect(rename).toHaveFocus()
    expect(backend.count('renameConnection')).toBe(0)
    expect(backend.connections[0]?.name).toBe('Work')
    // Escape closed only the field: no dialog opened, nothing else happened.
    expect(screen.queryByRole('dialog')).toBeNull()
  })

  it('refuses an empty or too long name in place, without sending it, and keeps what was typed', async () => {
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack', name: 'Work' }] })
    const { user } = setup(backend)
    await user.click(await screen.findByRole('button', { name: 'Rename Slack account (Work)' }))
    await user.clear(field())
    await user.keyboard('   {Enter}')
    const empty = screen.getByRole('alert')
    expect(empty).toHaveTextContent('Enter a name.')
    expect(field()).toHaveAttribute('aria-invalid', 'true')
    expect(field()).toHaveAccessibleDescription('Enter a name.')
    expect(field()).toHaveFocus()
    expect(field()).toHaveValue('   ')
    expect(await axe()).toEqual([])
    await user.clear(field())
    await user.click(field())
    await user.paste('x'.repeat(101))
    await user.keyboard('{Enter}')
    expect(screen.getByRole('alert')).toHaveTextContent('Use 100 characters or fewer.')
    expect(field()).toHaveAccessibleDescription('Use 100 characters or fewer.')
    expect(field()).toHaveValue('x'.repeat(101))
    expect(backend.count('renameConnection')).toBe(0)
    // A hundred characters once trimmed (an emoji counts as one) is fine.
    await user.clear(field())
    await user.paste(` ${'😀'.repeat(100)} `)
    await user.keyboard('{Enter}')
    await vi.waitFor(() => expect(backend.connections[0]?.name).toBe('😀'.repeat(100)))
  })

  it('shows the backend’s refusal and a network failure in place, keeps the field, and saves once the name is fixed', async () => {
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack', name: 'Work' }] })
    const { user } = setup(backend)
    await user.click(await screen.findByRole('button', { name: 'Rename Slack account (Work)' }))
    await user.clear(field())
    await user.type(field(), 'Refused')
    backend.failNext('renameConnection', { status: 400, code: 'invalid_name', message: 'That name is not allowed.' })
    await user.keyboard('{Enter}')
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('Could not rename: That name is not allowed.')
    expect(field()).toHaveAttribute('aria-invalid', 'true')
    expect(field()).toHaveAccessibleDescription('Could not rename: That name is not allowed.')
    expect(field()).toHaveValue('Refused')
    expect(field()).toHaveFocus()
    expect(await axe()).toEqual([])
    backend.failNext('renameConnection', 'network')
    await user.keyboard('{Enter}')
    await vi.waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('Could not rename: The backend could not be reached.'))
    expect(field()).toHaveValue('Refused')
    expect(backend.connections[0]?.name).toBe('Work')
    await user.clear(field())
    await user.type(field(), 'Accepted{Enter}')
    await vi.waitFor(() => expect(screen.queryByRole('textbox')).toBeNull())
    expect(screen.queryByRole('alert')).toBeNull()
    expect(backend.connections[0]?.name).toBe('Accepted')
  })

  it('while saving, the form is busy and neither Escape nor a second Enter does anything', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack', name: 'Work' }] })
    const { user } = setup(backend, {}, { timers: true })
    const rename = await screen.findByRole('button', { name: 'Rename Slack account (Work)' })
    await user.click(rename)
    backend.setLatency(1000)
    await user.clear(field())
    await user.type(field(), 'Slow{Enter}')
    const form = field().closest('form') as HTMLFormElement
    expect(form).toHaveAttribute('aria-busy', 'true')
    const save = within(form).getByRole('button', { name: 'Saving…' })
    expect(save).toHaveAttribute('aria-busy', 'true')
    expect(save).toHaveAttribute('aria-disabled', 'true')
    expect(within(form).getByRole('button', { name: 'Cancel' })).toHaveAttribute('aria-disabled', 'true')
    expect(field()).toHaveAttribute('readonly')
    await user.keyboard('{Enter}{Escape}')
    expect(field()).toBeInTheDocument()
    expect(backend.count('renameConnection')).toBe(1)
    await vi.advanceTimersByTimeAsync(1000)
    await vi.waitFor(() => expect(screen.queryByRole('textbox')).toBeNull())
    expect(backend.connections[0]?.name).toBe('Slow')
    expect(screen.getByRole('button', { name: 'Rename Slack account (Slow)' })).toHaveFocus()
  })

  it('with several accounts, each has its own Rename, named by its label, and its field opens beside it', async () => {
    const backend = createMockBackend({
      connections: [
        { id: 'pac_work', providerId: 'github', name: 'Work' },
        { id: 'pac_home', providerId: 'github', name: 'Personal' },
      ],
    })
    const { user } = setup(backend)
    await user.click(await screen.findByRole('button', { name: 'Rename GitHub account (Personal)' }))
    const account = row('github').querySelector<HTMLElement>('[data-connection-id="pac_home"]') as HTMLElement
    const input = within(account).getByRole('textbox', { name: 'Name of this GitHub account' })
    expect(input).toHaveValue('Personal')
    expect(screen.getByRole('button', { name: 'Rename GitHub account (Work)' })).toHaveAttribute('aria-expanded', 'false')
    await user.clear(input)
    await user.type(input, 'Side project{Enter}')
    await vi.waitFor(() => expect(screen.getByRole('button', { name: 'Rename GitHub account (Side project)' })).toHaveFocus())
    expect(backend.connections.map(item => item.name)).toEqual(['Work', 'Side project'])
    expect(screen.getByRole('button', { name: 'Disconnect GitHub (Side project)' })).toBeInTheDocument()
  })

  it('is not offered when the backend cannot rename', async () => {
    const { renameConnection: _, ...backend } = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack', name: 'Work' }] })
    setup(backend)
    expect(await screen.findByRole('button', { name: 'Disconnect Slack' })).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /^Rename/ })).toBeNull()
  })

  it('takes its words from labels, and its class names from classNames, or none with unstyled', async () => {
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack', name: 'Arbeit' }] })
    const { user } = setup(backend, {
      unstyled: true,
      classNames: { renameForm: 'my-form', renameInput: 'my-input' },
      labels: {
        rename: 'Umbenennen',
        renameLabel: ({ providerName, connectionName }) => `${providerName}-Konto ${connectionName ?? ''} umbenennen`,
        renameField: 'Kontoname',
        renameSave: 'Speichern',
        renameCancel: 'Abbrechen',
        renameEmpty: 'Bitte einen Namen eingeben.',
      },
    })
    await user.click(await screen.findByRole('button', { name: 'Slack-Konto Arbeit umbenennen' }))
    const input = screen.getByRole('textbox', { name: 'Kontoname' })
    expect(input).toHaveClass('my-input', { exact: true })
    expect(input.closest('form')).toHaveClass('my-form', { exact: true })
    expect(screen.getByRole('button', { name: 'Speichern' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Abbrechen' })).toBeInTheDocument()
    await user.clear(input)
    await user.keyboard('{Enter}')
    expect(screen.getByRole('alert')).toHaveTextContent('Bitte einen Namen eingeben.')
    expect(document.querySelector('[class*="rpc-"]')).toBeNull()
  })

  it('works the same in a list made of parts', async () => {
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack', name: 'Work' }] })
    const user = userEvent.setup()
    render(
      <SWRConfig value={{ provider: () => new Map(), shouldRetryOnError: false }}>
        <ConnectProvider backend={backend} environment={{ openWindow: fakePopup, openChannel: () => null }}>
          <ConnectionsListRoot>
            <ul>
              <ConnectionsListRow provider={slack} />
            </ul>
          </ConnectionsListRoot>
        </ConnectProvider>
      </SWRConfig>,
    )
    const rename = await screen.findByRole('button', { name: 'Rename Slack account (Work)' })
    await user.click(rename)
    await user.clear(field())
    await user.type(field(), 'Parts{Enter}')
    await vi.waitFor(() => expect(backend.connections[0]?.name).toBe('Parts'))
    await vi.waitFor(() => expect(rename).toHaveFocus())
    expect(listStatus()).toContain('Slack account renamed to Parts.')
  })

  it('hands rename(id, name) to a custom row', async () => {
    const backend = createMockBackend({ connections: [{ id: 'pac_1', providerId: 'slack', name: 'Work' }] })
    const { user } = setup(backend, {
      renderRow: ({ connections, rename }) =>
        connections.map(connection => (
          <button key={connection.id} type="button" onClick={() => void rename(connection.id, 'From a custom row')}>
            {connection.name}
          </button>
        )),
    })
    await user.click(await screen.findByRole('button', { name: 'Work' }))
    expect(await screen.findByRole('button', { name: 'From a custom row' })).toBeInTheDocument()
    expect(backend.connections[0]?.name).toBe('From a custom row')
  })
})
