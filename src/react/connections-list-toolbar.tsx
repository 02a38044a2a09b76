import { clsx } from 'clsx'
import { forwardRef, useId } from 'react'
import type { HTMLAttributes } from 'react'
import { useConnectionsListContext } from './connections-list-context.js'
import { VisuallyHidden } from './visually-hidden.js'

/** `ConnectionsListToolbar`'s props: the search and the chips are the app's state; attributes go on its `<div>`. */
export interface ConnectionsListToolbarProps extends Omit<HTMLAttributes<HTMLDivElement>, 'children'> {
  /** The search box's text. Required. */
  query: string
  /** Called with the new text as the user types, and with `''` when Escape clears it. Required. */
  onQueryChange: (query: string) => void
  /** The category chips, in order; they show when there are two or more (with "All" first). Defaults to none. */
  categories?: readonly string[]
  /** The selected category, or `null` for all. Defaults to `null`. */
  category?: string | null
  /** Called with the chip picked, or `null` for "All" and for a second click on the selected chip. Defaults to none. */
  onCategoryChange?: (category: string | null) => void
  /** How many providers match, announced politely (the `searchResults` label); `undefined` while nothing is filtered. Defaults to none (nothing announced). */
  resultCount?: number
}

/**
 * The catalogue's search box and category chips, inside `ConnectionsListRoot` (its labels and
 * class names). The chips are toggle buttons (`aria-pressed`), so Tab reaches each and Space or
 * Enter picks it; Escape in the search box clears it.
 */
export const ConnectionsListToolbar = /* @__PURE__ */ forwardRef<HTMLDivElement, ConnectionsListToolbarProps>(function ConnectionsListToolbar(
  { query, onQueryChange, categories = [], category = null, onCategoryChange, resultCount, className, ...attributes },
  ref,
) {
  const { label, cls } = useConnectionsListContext('ConnectionsListToolbar')
  const id = useId()
  return (
    <div {...attributes} ref={ref} className={clsx(cls('toolbar'), className) || undefined}>
      <div className={cls('search')} role="search">
        <label htmlFor={`${id}q`} className={cls('searchLabel')}>
          {label('searchLabel')}
        </label>
        <input
          id={`${id}q`}
          className={cls('searchInput')}
          type="search"
          autoComplete="off"
          spellCheck={false}
          placeholder={label('searchPlaceholder')}
          value={query}
          onChange={event => onQueryChange(event.target.value)}
          onKeyDown={event => {
            if (event.key === 'Escape' && query !== '') {
              event.preventDefault()
              onQueryChange('')
            }
          }}
        />
      </div>
      {categories.length > 1 && (
        <div className={cls('categories')} role="group" aria-label={label('categoriesLabel')}>
          <button type="button" className={cls('category')} aria-pressed={category === null} onClick={() => onCategoryChange?.(null)}>
            {label('allCategories')}
          </button>
          {categories.map(name => (
            <button
              key={name}
              type="button"
              className={cls('category')}
              aria-pressed={category === name}
              data-category={name}
              onClick={() => onCategoryChange?.(category === name ? null : name)}
            >
              {name}
            </button>
          ))}
        </div>
      )}
      <VisuallyHidden role="status" aria-live="polite" data-search-results="">
        {resultCount === undefined ? '' : label('searchResults', { count: resultCount })}
      </VisuallyHidden>
    </div>
  )
})
