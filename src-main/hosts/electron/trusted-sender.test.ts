import { describe, expect, it } from 'vitest'
import { isTrustedSender } from './trusted-sender'

const packaged = { devServerUrl: undefined }
const dev = { devServerUrl: 'http://localhost:5173' }

describe('isTrustedSender', () => {
  it("trusts the app's own pages", () => {
    expect(isTrustedSender('sluice://app/index.html', packaged)).toBe(true)
    expect(isTrustedSender('sluice://app/', packaged)).toBe(true)
    expect(isTrustedSender('sluice://app/index.html#/pipelines/p1?tab=log', dev)).toBe(true)
  })

  it('trusts the dev server only when one is set, and only its origin', () => {
    expect(isTrustedSender('http://localhost:5173/', dev)).toBe(true)
    expect(isTrustedSender('http://localhost:5173/src/main.ts', dev)).toBe(true)
    expect(isTrustedSender('http://localhost:5173/', packaged)).toBe(false)
    expect(isTrustedSender('http://localhost:5174/', dev)).toBe(false)
    expect(isTrustedSender('https://localhost:5173/', dev)).toBe(false)
    expect(isTrustedSender('http://127.0.0.1:5173/', dev)).toBe(false)
  })

  it('refuses foreign origins and look-alikes', () => {
    for (const url of [
      'https://example.com/',
      'https://app.evil.example/',
      'sluice://evil/index.html',
      'sluice://app.evil/index.html',
      'sluice://user:pass@app/index.html',
      'http://localhost:5173.evil.example/',
      'SLUICE-x://app/',
    ]) {
      expect(isTrustedSender(url, dev), url).toBe(false)
    }
  })

  it('refuses file://, about:blank, data:, blob: and javascript: frames', () => {
    for (const url of [
      'file:///opt/sluice/resources/app.asar/out/renderer/index.html',
      'about:blank',
      'about:srcdoc',
      'data:text/html,<script>alert(1)</script>',
      'blob:sluice://app/0b7c1c7e-2f7b-4b5b-9a51-7b0e1b6b6e59',
      'javascript:alert(1)',
    ]) {
      expect(isTrustedSender(url, dev), url).toBe(false)
    }
  })

  it('refuses a frame that is gone and URLs that do not parse', () => {
    expect(isTrustedSender(null, dev)).toBe(false)
    expect(isTrustedSender(undefined, dev)).toBe(false)
    expect(isTrustedSender('', dev)).toBe(false)
    expect(isTrustedSender('not a url', dev)).toBe(false)
    expect(isTrustedSender('http://localhost:5173/', { devServerUrl: 'not a url' })).toBe(false)
    expect(isTrustedSender('file:///x', { devServerUrl: 'file:///x' })).toBe(false)
  })
})
