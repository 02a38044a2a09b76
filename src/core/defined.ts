/** One small object helper shared by the runner and the React binding. */

/** Drops keys set to `undefined`: an absent option falls back to its default, a request omits the field. */
export function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>
}
