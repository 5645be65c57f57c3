import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { connect } from 'node:net'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { ApiEvent } from '../../../src-shared/api'
import {
  connectApiChannel,
  type ClientMessage,
  type MessageChannelLike,
  type ServiceMessage,
} from '../../../src-shared/transport'
import { createEnvironmentSecrets, createSluiceService, type SluiceService } from '../../service'
import { ordersCsv, ordersPipeline } from '../../service/test-support'
import { WEB_CSP } from './static-files'
import { startWebHost, type WebHost } from './web-host'

const token = 'test-token-123'
const cookie = `sluice_token=${token}`
let dir: string
let service: SluiceService
let host: WebHost

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-web-host-'))
  const rendererDir = join(dir, 'renderer')
  mkdirSync(join(rendererDir, 'assets'), { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Sluice</title>')
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app")')
  writeFileSync(
    join(rendererDir, 'assets', 'logo.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg"/>',
  )
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer folder')
  service = createSluiceService({
    secrets: createEnvironmentSecrets({}),
    memoryLimit: '512MiB',
    fileRoots: [dir],
  })
  host = await startWebHost({ service, rendererDir, port: 0, token })
})

afterAll(async () => {
  await host.close()
  await service.close()
  rmSync(dir, { recursive: true, force: true })
})

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** A GET with the path sent exactly as given (fetch would normalise `..` away). */
function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const { port } = new URL(host.origin)
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, headers }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      )
    })
    request.on('error', reject)
    request.end()
  })
}

/** Opens the API socket; resolves with it once open, rejects with the refusal. */
function openSocket(options: { cookie?: string; origin?: string }): Promise<WebSocket> {
  const url = `${host.origin.replace('http:', 'ws:')}/api`
  const socket = new WebSocket(url, {
    ...(options.origin === undefined ? {} : { origin: options.origin }),
    headers: options.cookie === undefined ? {} : { cookie: options.cookie },
  })
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket))
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`refused with ${response.statusCode}`)),
    )
    socket.once('error', reject)
  })
}

/** The UI's end of the wire protocol over a `ws` client, as the browser's channel does it. */
function socketChannel(socket: WebSocket): MessageChannelLike<ClientMessage, ServiceMessage> {
  return {
    send: (message) => socket.send(JSON.stringify(message)),
    onMessage: (handler) =>
      socket.on('message', (data) => handler(JSON.parse(String(data)) as ServiceMessage)),
  }
}

describe('the session token', () => {
  it('refuses pages and assets without the token, pointing at the printed address', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/?token=wrong']) {
      const answer = await get(path)
      expect(answer.status, path).toBe(403)
      expect(answer.body).toContain('Open the address that was printed when Sluice started')
      expect(answer.headers['content-security-policy']).toBe(WEB_CSP)
    }
    expect((await get('/', { cookie: 'sluice_token=wrong' })).status).toBe(403)
  })

  it('swaps the token in the address for an HttpOnly cookie and a redirect to /', async () => {
    expect(host.url).toBe(`${host.origin}/?token=${token}`)
    const answer = await get(`/?token=${token}`)
    expect(answer.status).toBe(302)
    expect(answer.headers.location).toBe('/')
    expect(answer.headers['set-cookie']).toEqual([
      `sluice_token=${token}; HttpOnly; SameSite=Strict; Path=/`,
    ])
  })

  it('lets the cookie through to the page and its assets, with the security headers', async () => {
    const page = await get('/', { cookie })
    expect(page.status).toBe(200)
    expect(page.body).toBe('<!doctype html><title>Sluice</title>')
    expect(page.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': WEB_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    })
    expect(WEB_CSP).toContain("style-src 'self' 'unsafe-inline'")
    expect(WEB_CSP).toContain("frame-ancestors 'none'")

    const script = await get('/assets/app.js', { cookie })
    expect(script).toMatchObject({ status: 200, body: 'console.log("app")' })
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(script.headers['content-security-policy']).toBe(WEB_CSP)
    const svg = await get('/assets/logo.svg', { cookie })
    expect(svg.headers['content-type']).toBe('image/svg+xml')
    expect((await get(`/assets/app.js?token=${token}`)).status).toBe(200)
    expect((await get('/assets/missing.js', { cookie })).status).toBe(404)
  })

  it('refuses a token that would not survive a URL or a cookie', async () => {
    await expect(startWebHost({ service, rendererDir: dir, token: 'a; Path=/x' })).rejects.toThrow(
      'letters, digits',
    )
  })

  it('refuses requests for another host name (DNS rebinding)', async () => {
    expect((await get('/', { cookie, host: 'evil.example:80' })).status).toBe(400)
  })
})

describe('static files', () => {
  it('never serves anything outside the renderer folder', async () => {
    const attempts = [
      '/../secret.txt',
      '/../package.json',
      '/%2e%2e/secret.txt',
      '/%2E%2E/%2e%2e/package.json',
      '/..%2fsecret.txt',
      '/..%2Fpackage.json',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      `/${encodeURIComponent(join(dir, 'secret.txt'))}`,
      '/%00index.html',
      '/%E0%A4%A',
      '/assets',
    ]
    for (const path of attempts) {
      const answer = await get(path, { cookie })
      expect([403, 404], path).toContain(answer.status)
      expect(answer.body, path).not.toContain('outside the renderer folder')
    }
  })
})

describe('the API socket', () => {
  it('is refused without the cookie, with a foreign or missing Origin', async () => {
    await expect(openSocket({ origin: host.origin })).rejects.toThrow('refused with 403')
    await expect(openSocket({ cookie, origin: 'http://evil.example' })).rejects.toThrow(
      'refused with 403',
    )
    await expect(openSocket({ cookie })).rejects.toThrow('refused with 403')
  })

  it('serves the API end to end: projects, pipelines, runs and their events', async () => {
    const socket = await openSocket({ cookie, origin: host.origin })
    const { client, subscribe } = connectApiChannel(socketChannel(socket))
    const events: ApiEvent[] = []
    subscribe((event) => events.push(event))

    const projectDir = join(dir, 'project')
    mkdirSync(projectDir)
    writeFileSync(join(projectDir, 'orders.csv'), ordersCsv(30))
    const project = await client['project/create']({
      path: join(projectDir, 'shop.sluice'),
      name: 'Shop',
    })
    expect(project.name).toBe('Shop')
    const created = await client['pipeline/create']({ name: 'Orders', document: ordersPipeline() })
    expect((await client['pipeline/list']({})).map((pipeline) => pipeline.name)).toEqual(['Orders'])
    const listing = await client['files/list']({ path: projectDir, extensions: ['csv'] })
    expect(listing.entries.map((entry) => entry.name)).toContain('orders.csv')

    const { runId } = await client['run/start']({ pipelineId: created.id })
    const finished = await new Promise<ApiEvent>((resolve) => {
      const check = (): void => {
        const event = events.find((each) => each.type === 'run-finished' && each.runId === runId)
        if (event) {
          resolve(event)
        } else {
          setTimeout(check, 20)
        }
      }
      check()
    })
    expect(finished).toMatchObject({ type: 'run-finished', record: { status: 'succeeded' } })
    const record = await client['run/get']({ runId })
    expect(record.nodes.map((node) => node.rowsOut)).toEqual([30, 20, 20])
    socket.close()
  })

  it('drops junk frames and keeps answering on the same socket', async () => {
    const socket = await openSocket({
      cookie,
      origin: `http://localhost:${new URL(host.origin).port}`,
    })
    for (const junk of [
      'not json',
      '[]',
      'null',
      '{"kind":"request"}',
      '{"kind":"request","id":-1}',
    ]) {
      socket.send(junk)
    }
    socket.send(Buffer.from([0xff, 0xfe, 0x00]), { binary: true })
    const { client } = connectApiChannel(socketChannel(socket))
    expect((await client['files/list']({})).roots).toContain(dir)
    expect(socket.readyState).toBe(WebSocket.OPEN)
    socket.close()
  })

  it('answers unknown paths with 404 instead of a socket', async () => {
    const url = `${host.origin.replace('http:', 'ws:')}/other`
    const socket = new WebSocket(url, { origin: host.origin, headers: { cookie } })
    const status = await new Promise((resolve) =>
      socket.once('unexpected-response', (_request, response) => resolve(response.statusCode)),
    )
    expect(status).toBe(404)
  })
})

describe('the listening address', () => {
  it('is 127.0.0.1 only: other interfaces and IPv6 loopback are refused', async () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const port = Number(new URL(host.origin).port)
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address !== undefined && !address.address.startsWith('127.'))
      .map((address) => address!.address)
    for (const address of ['::1', ...others]) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ host: address, port }, () => {
          socket.destroy()
          resolve('connected')
        })
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
      })
      expect(outcome, address).not.toBe('connected')
    }
  })
})
