/** Splits props into the ones named in `keys` and the rest (e.g. flow options vs DOM attributes). */
export function splitProps<T extends object, K extends keyof T>(props: T, keys: readonly K[]): [Pick<T, K>, Omit<T, K>] {
  const picked: Partial<T> = {}
  const rest: Partial<T> = {}
  for (const key of Object.keys(props) as Array<keyof T>) {
    const target = (keys as ReadonlyArray<keyof T>).includes(key) ? picked : rest
    target[key] = props[key]
  }
  return [picked as Pick<T, K>, rest as Omit<T, K>]
}
