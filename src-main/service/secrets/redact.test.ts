import { describe, expect, it } from 'vitest'
import { redactSecrets } from './redact'

describe('redactSecrets', () => {
  it('replaces every occurrence of each secret', () => {
    const line = 'connect failed for user sluice password hunter2 (tried hunter2 twice)'
    expect(redactSecrets(line, ['hunter2'])).toBe(
      'connect failed for user sluice password ••• (tried ••• twice)',
    )
  })

  it('replaces the URL-encoded form inside a connection URL', () => {
    const secret = 'p@ss/w:rd 100%'
    const url = `postgres://sluice:${encodeURIComponent(secret)}@db.example.com:5432/crm`
    expect(redactSecrets(`cannot reach ${url}`, [secret])).toBe(
      'cannot reach postgres://sluice:•••@db.example.com:5432/crm',
    )
  })

  it('replaces the JSON-escaped form inside a logged JSON body', () => {
    const secret = 'say "hi"\\now'
    const body = JSON.stringify({ user: 'sluice', password: secret })
    expect(redactSecrets(body, [secret])).toBe('{"user":"sluice","password":"•••"}')
  })

  it('hides a secret that contains another one whole, whatever the order given', () => {
    const text = 'tokens: abc and abcdef'
    expect(redactSecrets(text, ['abc', 'abcdef'])).toBe('tokens: ••• and •••')
    expect(redactSecrets(text, ['abcdef', 'abc'])).toBe('tokens: ••• and •••')
  })

  it('treats regular expression characters literally', () => {
    expect(redactSecrets('a.b a+b (x|y) $1', ['a+b', '(x|y)', '$1'])).toBe('a.b ••• ••• •••')
  })

  it('ignores empty secrets and leaves text without secrets alone', () => {
    expect(redactSecrets('nothing to hide', ['', 'hunter2'])).toBe('nothing to hide')
    expect(redactSecrets('nothing to hide', [])).toBe('nothing to hide')
    expect(redactSecrets('nothing to hide', new Set(['']))).toBe('nothing to hide')
  })

  it('redacts even a one-character secret', () => {
    expect(redactSecrets('x=7, y=8', ['7'])).toBe('x=•••, y=8')
  })
})
