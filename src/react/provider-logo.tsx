import { useState } from 'react'

export interface ProviderLogoProps {
  /** The image; `null` or a failed load shows the monogram. */
  src: string | null | undefined
  /** The provider's name: the monogram's letters. */
  name: string
  /** Rendered width and height in CSS pixels, set on the image so it never shifts the layout. */
  size: number
  className?: string | undefined
  monogramClassName?: string | undefined
}

/** "Google Calendar" → "GC", "slack" → "S". */
export function monogram(name: string): string {
  const words = name.split(/[\s._-]+/).filter(Boolean)
  const letters = words.length > 1 ? [words[0], words[1]] : [words[0]]
  return letters.map(word => Array.from(word ?? '')[0] ?? '').join('').toUpperCase() || '?'
}

/**
 * A provider's logo, decorative (the row names the provider): lazy, sized up front, and replaced by
 * a monogram when there is none or it fails to load.
 */
export function ProviderLogo({ src, name, size, className, monogramClassName }: ProviderLogoProps) {
  const [failed, setFailed] = useState<string | null>(null)
  if (!src || failed === src) {
    return (
      <span className={monogramClassName} data-monogram="">
        {monogram(name)}
      </span>
    )
  }
  return (
    <img
      className={className}
      src={src}
      alt=""
      width={size}
      height={size}
      loading="lazy"
      decoding="async"
      onError={() => setFailed(src)}
    />
  )
}
