import { useId } from 'react'
import type { ClassNameOf } from './connections-list-parts.js'
import { VisuallyHidden } from './visually-hidden.js'

export interface CatalogueToolbarProps {
  query: string
  onQueryChange: (query: string) => void
  categories: readonly string[]
  /** The selected category, or null for all. */
  category: string | null
  onCategoryChange: (category: string | null) => void
  label: (name: 'searchLabel' | 'searchPlaceholder' | 'categoriesLabel' | 'allCategories') => string
  /** Announced politely: how many providers match, or nothing while nothing is filtered. */
  results: string
  className: ClassNameOf
}

/**
 * The catalogue's search box and category chips. The chips are toggle buttons (`aria-pressed`), so
 * Tab reaches each and Space or Enter picks it; Escape in the search box clears it.
 */
export function CatalogueToolbar(props: CatalogueToolbarProps) {
  const { query, categories, category, label, className: cls } = props
  const id = useId()
  return (
    <div className={cls('toolbar')}>
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
          onChange={event => props.onQueryChange(event.target.value)}
          onKeyDown={event => {
            if (event.key === 'Escape' && query !== '') {
              event.preventDefault()
              props.onQueryChange('')
            }
          }}
        />
      </div>
      {categories.length > 1 && (
        <div className={cls('categories')} role="group" aria-label={label('categoriesLabel')}>
          <button type="button" className={cls('category')} aria-pressed={category === null} onClick={() => props.onCategoryChange(null)}>
            {label('allCategories')}
          </button>
          {categories.map(name => (
            <button
              key={name}
              type="button"
              className={cls('category')}
              aria-pressed={category === name}
              data-category={name}
              onClick={() => props.onCategoryChange(category === name ? null : name)}
            >
              {name}
            </button>
          ))}
        </div>
      )}
      <VisuallyHidden role="status" aria-live="polite" data-search-results="">
        {props.results}
      </VisuallyHidden>
    </div>
  )
}
