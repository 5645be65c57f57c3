import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, openSync } from 'node:fs'
import { join } from 'node:path'
import { freePort, waitFor, type TestServer } from './common'

const server = '/usr/sbin/mariadbd'

/** Whether Debian's MariaDB server is installed. */
export function mariadbInstalled(): boolean {
  return existsSync(server) && existsSync('/usr/bin/mariadb-install-db')
}

/**
 * A private MariaDB in `root/mariadb`, on a free port bound to 127.0.0.1, with `local_infile`
 * on (tests turn it off to check the fallback) and a `sluice` user with a password.
 */
export async function startMariadb(root: string, password: string): Promise<TestServer> {
  const dataDir = join(root, 'mariadb')
  const socket = join(root, 'mariadb.sock')
  mkdirSync(dataDir, { recursive: true })
  execFileSync(
    'mariadb-install-db',
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      '--auth-root-authentication-method=socket',
      '--skip-test-db',
      '--user=root',
    ],
    { stdio: 'pipe' },
  )
  const port = await freePort()
  const log = openSync(join(root, 'mariadb.log'), 'a')
  const child = spawn(
    server,
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${socket}`,
      `--pid-file=${join(root, 'mariadb.pid')}`,
      '--user=root',
      '--local-infile=1',
      '--skip-name-resolve',
      '--innodb-flush-log-at-trx-commit=0',
      '--innodb-buffer-pool-size=256M',
      '--max-allowed-packet=256M',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
    ],
    { stdio: ['ignore', log, log], detached: true },
  )
  child.unref()
  const admin = (sql: string): void => {
    execFileSync('mariadb', ['--no-defaults', `--socket=${socket}`, '-uroot'], {
      input: sql,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
  }
  await waitFor('MariaDB', async () => admin('SELECT 1'))
  admin(
    [
      'CREATE DATABASE sluice_test;',
      `CREATE USER 'sluice'@'127.0.0.1' IDENTIFIED BY '${password}';`,
      `GRANT ALL PRIVILEGES ON *.* TO 'sluice'@'127.0.0.1' WITH GRANT OPTION;`,
    ].join('\n'),
  )
  return {
    info: { host: '127.0.0.1', port, user: 'sluice', password, database: 'sluice_test', socket },
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      if (child.exitCode === null && child.kill('SIGTERM')) {
        await exited
      }
    },
  }
}
