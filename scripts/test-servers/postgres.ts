import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort, runAs, serverUser, waitFor, type ServerInfo, type TestServer } from './common'

const binaries = '/usr/lib/postgresql/15/bin'

/** Whether Debian's PostgreSQL 15 server is installed. */
export function postgresInstalled(): boolean {
  return existsSync(join(binaries, 'initdb')) && existsSync(join(binaries, 'pg_ctl'))
}

/**
 * A private PostgreSQL 15 cluster in `root/postgres`, on a free port bound to 127.0.0.1, with
 * password (scram) logins, TLS from a self-signed certificate and a `tls_only` role that may
 * connect only over TLS, so connection tests meet real refusals. PostgreSQL will not run as root,
 * so as root the cluster belongs to the `postgres` user.
 */
export async function startPostgres(root: string, password: string): Promise<TestServer> {
  const owner = serverUser('postgres')
  const dataDir = join(root, 'postgres')
  const socketDir = join(root, 'postgres-socket')
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  mkdirSync(socketDir, { recursive: true })
  const passwordFile = join(root, 'postgres-password')
  writeFileSync(passwordFile, password, { mode: 0o600 })
  if (owner) {
    for (const path of [root, dataDir, socketDir, passwordFile]) {
      chownSync(path, owner.uid, owner.gid)
    }
  }
  runAs(owner, join(binaries, 'initdb'), [
    '--pgdata',
    dataDir,
    '--username',
    'postgres',
    '--pwfile',
    passwordFile,
    '--auth',
    'scram-sha-256',
    '--encoding',
    'UTF8',
    '--locale',
    'C.UTF-8',
  ])
  const tls = makeCertificate(dataDir, owner)
  writeFileSync(
    join(dataDir, 'pg_hba.conf'),
    [
      'local all all scram-sha-256',
      'hostssl all tls_only 127.0.0.1/32 scram-sha-256',
      'hostnossl all tls_only 127.0.0.1/32 reject',
      'host all all 127.0.0.1/32 scram-sha-256',
      '',
    ].join('\n'),
  )
  const port = await freePort()
  const settings = [
    `listen_addresses = '127.0.0.1'`,
    `port = ${port}`,
    `unix_socket_directories = '${socketDir}'`,
    `ssl = ${tls ? 'on' : 'off'}`,
    // Tests create and drop many tables; durability of a throwaway cluster does not matter.
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    'max_connections = 100',
    '',
  ]
  writeFileSync(join(dataDir, 'postgresql.auto.conf'), settings.join('\n'))
  const log = join(root, 'postgres.log')
  if (owner) {
    writeFileSync(log, '')
    chownSync(log, owner.uid, owner.gid)
  }
  runAs(owner, join(binaries, 'pg_ctl'), ['start', '-D', dataDir, '-l', log, '-w', '-t', '60'])
  const info: ServerInfo = {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    database: 'sluice_test',
  }
  await waitFor('PostgreSQL', async () => {
    psql(socketDir, port, password, 'SELECT 1')
  })
  psql(socketDir, port, password, 'CREATE DATABASE sluice_test')
  psql(
    socketDir,
    port,
    password,
    `CREATE ROLE tls_only LOGIN PASSWORD '${password}'; GRANT ALL ON DATABASE sluice_test TO tls_only`,
  )
  return {
    info: tls ? { ...info, caFile: join(dataDir, 'server.crt') } : info,
    stop: async () => {
      runAs(owner, join(binaries, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate', '-w'])
    },
  }
}

function psql(socketDir: string, port: number, password: string, sql: string): void {
  execFileSync(
    'psql',
    ['-X', '-q', '-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', 'postgres'],
    { input: sql, env: { ...process.env, PGPASSWORD: password }, stdio: ['pipe', 'pipe', 'pipe'] },
  )
}

/** A self-signed certificate for 127.0.0.1 in the data folder; false when openssl is missing. */
function makeCertificate(dataDir: string, owner: ReturnType<typeof serverUser>): boolean {
  const key = join(dataDir, 'server.key')
  const cert = join(dataDir, 'server.crt')
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-x509',
        '-days',
        '2',
        '-nodes',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'pipe' },
    )
  } catch {
    return false
  }
  if (owner) {
    chownSync(key, owner.uid, owner.gid)
    chownSync(cert, owner.uid, owner.gid)
  }
  execFileSync('chmod', ['600', key])
  return true
}
