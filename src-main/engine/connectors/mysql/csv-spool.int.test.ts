import { existsSync, mkdirSync, readdirSync } from 'node:fs'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeWithServer } from '../database/test-servers'
import { closeSession, openSession } from './connect'
import { startCsvSpool, type CsvSpool } from './csv-spool'
import {
  adminSession,
  duckdbSandbox,
  resolvedFor,
  serverRows,
  type DuckdbSandbox,
} from './test-support'
import { loadCsv } from './write-load'

describeWithServer('mariadb', 'MySQL driver: the CSV spool', (server) => {
  let admin: mysql.Connection
  let sandbox: DuckdbSandbox
  beforeAll(async () => {
    admin = await adminSession(server)
    sandbox = await duckdbSandbox()
    await sandbox.duckdb.run(`CREATE TABLE spool_in AS SELECT * FROM (VALUES
      (1, 'plain'), (2, NULL), (3, ''), (4, 'NULL'), (5, 'a"b,c'), (6, 'tab' || chr(9) || 'x'),
      (7, 'line' || chr(10) || 'break' || chr(13)), (8, 'back\\slash\\N'), (9, '😀 日本'),
      (10, 'null'), (11, 'NULL '), (12, ' "NULL" '), (13, '\\N'), (14, ',')) t(id, s)`)
  })
  afterAll(async () => {
    await admin.end()
    sandbox.close()
  })

  for (const follow of [true, false]) {
    it(`loads every value exactly from a file ${follow ? 'read while DuckDB writes it' : 'written whole first'} and leaves nothing behind`, async () => {
      await admin.query('DROP TABLE IF EXISTS spool_out')
      await admin.query('CREATE TABLE spool_out (id INT, s TEXT)')
      const holder: { spool?: CsvSpool } = {}
      const session = await openSession(resolvedFor(server), {
        infileStream: () => (holder.spool as CsvSpool).open(),
      })
      mkdirSync(sandbox.workDir, { recursive: true })
      try {
        holder.spool = await startCsvSpool(
          sandbox.duckdb,
          'spool_in',
          [
            { name: 'id', type: 'INTEGER', hex: false },
            { name: 's', type: 'VARCHAR', hex: false },
          ],
          sandbox.workDir,
          new AbortController().signal,
          () => undefined,
          follow,
        )
        const [loaded] = await Promise.all([
          loadCsv(session, 'spool_out', [
            { target: 'id', exported: { name: 'id', type: 'INTEGER', hex: false }, bits: false },
            { target: 's', exported: { name: 's', type: 'VARCHAR', hex: false }, bits: false },
          ]),
          holder.spool.written,
        ])
        expect(loaded).toBe(14)
      } finally {
        await holder.spool?.close()
        await closeSession(session)
      }
      const expected = await sandbox.rows('SELECT id, s FROM spool_in ORDER BY id')
      expect(await serverRows(admin, 'SELECT id, s FROM spool_out ORDER BY id')).toEqual(expected)
      expect(existsSync(sandbox.workDir) ? readdirSync(sandbox.workDir) : []).toEqual([])
    })
  }

  it('fails a load that follows an export which stops part-way, and leaves nothing behind', async () => {
    await admin.query('DROP TABLE IF EXISTS spool_stopped')
    await admin.query('CREATE TABLE spool_stopped (s TEXT)')
    const holder: { spool?: CsvSpool } = {}
    const session = await openSession(resolvedFor(server), {
      infileStream: () => (holder.spool as CsvSpool).open(),
    })
    mkdirSync(sandbox.workDir, { recursive: true })
    const exported = { name: 's', type: 'VARCHAR', hex: false }
    try {
      holder.spool = await startCsvSpool(
        sandbox.duckdb,
        "(SELECT CASE WHEN range < 300000 THEN range::VARCHAR ELSE error('stop') END AS s FROM range(600000))",
        [exported],
        sandbox.workDir,
        new AbortController().signal,
        () => undefined,
        true,
      )
      const load = loadCsv(session, 'spool_stopped', [{ target: 's', exported, bits: false }])
      await expect(Promise.all([load, holder.spool.written])).rejects.toThrow(/stop/)
      // Whatever the server made of the bytes it got, the caller's transaction rolls it back.
      await load.catch(() => undefined)
    } finally {
      await holder.spool?.close()
      await closeSession(session)
    }
    expect(readdirSync(sandbox.workDir)).toEqual([])
  })

  it('removes the partial file when the export fails', async () => {
    mkdirSync(sandbox.workDir, { recursive: true })
    await expect(
      startCsvSpool(
        sandbox.duckdb,
        // A cast that fails part-way through: DuckDB has begun writing when it stops.
        "(SELECT CASE WHEN range < 200000 THEN range::VARCHAR ELSE error('stop') END AS s FROM range(400000))",
        [{ name: 's', type: 'VARCHAR', hex: false }],
        sandbox.workDir,
        new AbortController().signal,
        () => undefined,
        false,
      ),
    ).rejects.toThrow(/stop/)
    expect(readdirSync(sandbox.workDir)).toEqual([])
  })
})
