import type { CSSProperties, ReactNode } from 'react'

/** Inline, so screen-reader-only text stays hidden with `unstyled` and without the stylesheet. */
const style: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0, 0, 0, 0)',
  whiteSpace: 'nowrap',
  border: 0,
}

export function VisuallyHidden(props: { children?: ReactNode; role?: 'status'; 'aria-live'?: 'polite'; lang?: string; dir?: string }) {
  return <span {...props} style={style} />
}
