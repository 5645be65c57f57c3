/** The last holder's turn of each key; a key disappears when nobody holds or waits for it. */
const turns = new Map<string, Promise<void>>()

/**
 * Runs `work` when no other work on `key` in this process is running, in the order asked. A
 * preview and a run of the same pipeline both stage a node into the same tables; one after the
 * other, the second finds the first's result (or rebuilds it) instead of colliding with it.
 */
export async function exclusively<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = turns.get(key) ?? Promise.resolve()
  let release = (): void => undefined
  const mine = previous.then(
    () =>
      new Promise<void>((resolve) => {
        release = resolve
      }),
  )
  turns.set(key, mine)
  await previous
  try {
    return await work()
  } finally {
    release()
    if (turns.get(key) === mine) {
      turns.delete(key)
    }
  }
}
