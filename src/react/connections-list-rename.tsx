import { useEffect, useId, useRef, useState } from 'react'
import type { FormEvent, KeyboardEvent } from 'react'
import { toConnectError } from '../core/errors.js'
import type { ConnectError } from '../core/errors.js'
import type { Connection } from '../core/types.js'
import { useConnectionsListContext } from './connections-list-context.js'
import type { ConnectionsListLabels } from './connections-list-labels.js'

/** The longest name the server takes, in characters once trimmed. */
const MAX_NAME_LENGTH = 100

export interface RenameFormProps {
  connection: Connection
  /** Resolves a label for this account (the error, when there is one). */
  text: (name: keyof ConnectionsListLabels, error?: ConnectError | null) => string
  /** The form is done: `renamed` is the connection as the backend answered it, or null when cancelled. */
  onClose: (renamed: Connection | null) => void
}

/**
 * An account's inline rename: a labelled field prefilled with its name, Save and Cancel. Enter
 * saves and Escape cancels; a name that is empty or too long once trimmed is refused here, and a
 * refusal of the backend is shown under the field, which keeps what the user typed.
 */
export function RenameForm({ connection, text, onClose }: RenameFormProps) {
  const { cls, rename } = useConnectionsListContext('ConnectionsListRow')
  const id = useId()
  const input = useRef<HTMLInputElement>(null)
  const [value, setValue] = useState(connection.name ?? '')
  const [error, setError] = useState('')
  const [saving, setSaving] = useState(false)

  useEffect(() => {
    input.current?.focus()
    input.current?.select()
  }, [])

  const refuse = (message: string) => {
    setError(message)
    input.current?.focus()
  }
  const save = (event: FormEvent) => {
    event.preventDefault()
    if (saving) return
    const name = value.trim()
    // Code points, as a person counts them: an emoji is one character.
    const length = [...name].length
    if (length === 0 || length > MAX_NAME_LENGTH) return refuse(text(length === 0 ? 'renameEmpty' : 'renameTooLong'))
    setSaving(true)
    setError('')
    rename(connection.id, name).then(onClose, (caught: unknown) => {
      setSaving(false)
      refuse(text('renameError', toConnectError(caught)))
    })
  }
  const cancel = () => {
    if (!saving) onClose(null)
  }
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return
    event.preventDefault()
    cancel()
  }

  return (
    <form className={cls('renameForm')} aria-busy={saving || undefined} onSubmit={save} onKeyDown={onKeyDown}>
      <label className={cls('renameFieldLabel')} htmlFor={`${id}i`}>
        {text('renameField')}
      </label>
      <input
        ref={input}
        id={`${id}i`}
        className={cls('renameInput')}
        type="text"
        autoComplete="off"
        value={value}
        readOnly={saving}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}e` : undefined}
        onChange={event => setValue(event.target.value)}
      />
      <button type="submit" className={cls('renameSave')} data-action="rename-save" aria-disabled={saving || undefined} aria-busy={saving || undefined}>
        {text(saving ? 'renameSaving' : 'renameSave')}
      </button>
      <button type="button" className={cls('renameCancel')} data-action="rename-cancel" aria-disabled={saving || undefined} onClick={cancel}>
        {text('renameCancel')}
      </button>
      {error && (
        <p id={`${id}e`} className={cls('renameError')} role="alert">
          {error}
        </p>
      )}
    </form>
  )
}
