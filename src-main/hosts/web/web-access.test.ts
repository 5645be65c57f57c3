import { expect, it } from 'vitest'
import { createSessionToken, isValidToken, readCookie, tokensMatch } from './web-access'

it('makes long random tokens that are safe in a URL and a cookie', () => {
  const token = createSessionToken()
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  expect(isValidToken(token)).toBe(true)
  expect(createSessionToken()).not.toBe(token)
  for (const bad of ['', 'a b', 'a;b', 'a=b', 'ä']) {
    expect(isValidToken(bad), bad).toBe(false)
  }
})

it('matches tokens exactly, whatever their lengths', () => {
  expect(tokensMatch('abc', 'abc')).toBe(true)
  expect(tokensMatch('abd', 'abc')).toBe(false)
  expect(tokensMatch('abcd', 'abc')).toBe(false)
  expect(tokensMatch('', 'abc')).toBe(false)
})

it('reads one cookie out of a Cookie header', () => {
  const header = 'theme=dark; sluice_token=t0k; other_sluice_token=x'
  expect(readCookie(header, 'sluice_token')).toBe('t0k')
  expect(readCookie('sluice_token_x=1', 'sluice_token')).toBeUndefined()
  expect(readCookie(undefined, 'sluice_token')).toBeUndefined()
})
