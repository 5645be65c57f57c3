import { expect, it } from 'vitest'
import { exclusively } from './node-lock'

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

it('runs work on the same key one at a time, in order, and other keys alongside', async () => {
  const events: string[] = []
  const job = (key: string, name: string, ms: number) =>
    exclusively(key, async () => {
      events.push(`${name} start`)
      await pause(ms)
      events.push(`${name} end`)
      return name
    })
  const results = await Promise.all([job('a', 'a1', 30), job('a', 'a2', 5), job('b', 'b1', 5)])
  expect(results).toEqual(['a1', 'a2', 'b1'])
  expect(events.indexOf('a2 start')).toBeGreaterThan(events.indexOf('a1 end'))
  expect(events.indexOf('b1 end')).toBeLessThan(events.indexOf('a1 end'))
})

it('lets the next holder in after a failure', async () => {
  const failed = exclusively('k', () => Promise.reject(new Error('boom')))
  const next = exclusively('k', () => Promise.resolve('next'))
  await expect(failed).rejects.toThrow('boom')
  await expect(next).resolves.toBe('next')
})
