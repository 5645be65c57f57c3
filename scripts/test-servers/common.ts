import { execFileSync } from 'node:child_process'
import { createServer } from 'node:net'

/** How tests reach a private server: TCP on 127.0.0.1 with a password login. */
export interface ServerInfo {
  host: string
  port: number
  user: string
  password: string
  database: string
  /** PostgreSQL: the self-signed certificate the server presents, to test verified TLS. */
  caFile?: string
  /** MariaDB: the server's socket, for administrative sessions that must outlive a killed one. */
  socket?: string
}

export interface TestServer {
  info: ServerInfo
  stop(): Promise<void>
}

/** A port nothing listens on right now, picked by the kernel from the ephemeral range. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

export interface SystemUser {
  name: string
  uid: number
  gid: number
}

/**
 * The system user a server must run as when we are root (PostgreSQL refuses root); null when we
 * are not root, and the server simply runs as us.
 */
export function serverUser(name: string): SystemUser | null {
  if (process.getuid?.() !== 0) {
    return null
  }
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim())
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim())
  return { name, uid, gid }
}

/** Runs a server tool, as `user` when given; its output is kept for the error when it fails. */
export function runAs(user: SystemUser | null, command: string, args: string[]): void {
  const [file, argv] = user
    ? ['runuser', ['-u', user.name, '--', command, ...args]]
    : [command, args]
  try {
    execFileSync(file, argv, { stdio: 'pipe', cwd: '/' })
  } catch (thrown) {
    const output = (thrown as { stderr?: Buffer; stdout?: Buffer }) ?? {}
    throw new Error(
      `${command} ${args.join(' ')} failed:\n${String(output.stdout ?? '')}${String(output.stderr ?? '')}`,
    )
  }
}

/** Retries `probe` until it succeeds or 60 s pass. */
export async function waitFor(what: string, probe: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 60_000
  for (;;) {
    try {
      await probe()
      return
    } catch (thrown) {
      if (Date.now() > deadline) {
        throw new Error(`${what} did not start within 60 s: ${String(thrown)}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
}
