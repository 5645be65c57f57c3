import { readFileSync } from 'node:fs'
import { join, resolve, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP_CSP, APP_URL, resolveAppFile } from './app-protocol'

const root = resolve('/opt/sluice/out/renderer')

describe('resolveAppFile', () => {
  it('serves index.html for the app URL and the bare origin', () => {
    expect(resolveAppFile(root, APP_URL)).toBe(join(root, 'index.html'))
    expect(resolveAppFile(root, 'sluice://app/')).toBe(join(root, 'index.html'))
  })

  it('serves files below the renderer folder', () => {
    expect(resolveAppFile(root, 'sluice://app/assets/index-abc.js')).toBe(
      join(root, 'assets', 'index-abc.js'),
    )
    expect(resolveAppFile(root, 'sluice://app/assets/a%20b.css')).toBe(
      join(root, 'assets', 'a b.css'),
    )
  })

  it('refuses paths that climb out of the renderer folder', () => {
    for (const url of [
      'sluice://app/../../etc/passwd',
      'sluice://app/%2e%2e/%2e%2e/etc/passwd',
      'sluice://app/..%2f..%2fetc%2fpasswd',
      'sluice://app/assets/..%2f..%2f..%2fsecret',
      'sluice://app/..',
    ]) {
      const file = resolveAppFile(root, url)
      expect(file === null || file.startsWith(root + sep), url).toBe(true)
    }
    expect(resolveAppFile(root, 'sluice://app/..%2f..%2fetc%2fpasswd')).toBeNull()
  })

  it('refuses other hosts, other schemes, NUL bytes and malformed escapes', () => {
    expect(resolveAppFile(root, 'sluice://evil/index.html')).toBeNull()
    expect(resolveAppFile(root, 'file:///etc/passwd')).toBeNull()
    expect(resolveAppFile(root, 'sluice://app/index.html%00.png')).toBeNull()
    expect(resolveAppFile(root, 'sluice://app/%E0%A4%A')).toBeNull()
    expect(resolveAppFile(root, 'not a url')).toBeNull()
  })
})

describe('APP_CSP', () => {
  const directives = (policy: string) =>
    new Map(
      policy
        .split(';')
        .map((part) => part.trim().split(/\s+/))
        .map(([name = '', ...values]) => [name, values.join(' ')]),
    )

  it('allows scripts from the app only, inline styles (Vuetify, Monaco) and blob: workers', () => {
    const csp = directives(APP_CSP)
    expect(csp.get('script-src')).toBe("'self'")
    expect(csp.get('style-src')).toBe("'self' 'unsafe-inline'")
    expect(csp.get('worker-src')).toBe("'self' blob:")
    expect(csp.get('default-src')).toBe("'none'")
    expect(csp.get('frame-ancestors')).toBe("'none'")
  })

  it("is mirrored by index.html's meta tag, which cannot carry frame-ancestors", () => {
    const html = readFileSync(new URL('../../../src-renderer/index.html', import.meta.url), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    const expected = directives(APP_CSP)
    expected.delete('frame-ancestors')
    expect(directives(meta ?? '')).toEqual(expected)
  })
})
