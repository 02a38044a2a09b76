let dateFormat: Intl.DateTimeFormat | undefined

/** `Intl` in the user's locale, e.g. "Mar 4, 2025". */
export function defaultFormatDate(date: Date): string {
  // One formatter for every row: creating it costs far more than formatting with it.
  dateFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })
  return dateFormat.format(date)
}
