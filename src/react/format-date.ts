const dateFormats = new Map<string | undefined, Intl.DateTimeFormat>()

/** `Intl` in `code`'s language (the user's own without one), e.g. "Mar 4, 2025". */
export function formatDateIn(code: string | undefined): (date: Date) => string {
  return date => {
    // One formatter per language for every row: creating it costs far more than formatting with it.
    let format = dateFormats.get(code)
    if (!format) dateFormats.set(code, (format = new Intl.DateTimeFormat(code, { dateStyle: 'medium' })))
    return format.format(date)
  }
}
