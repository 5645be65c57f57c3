import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeWithServer } from '../database/test-servers'
import { mysqlDriver } from './index'
import { adminSession, resolvedFor } from './test-support'

describeWithServer('mariadb', 'MySQL driver: browse', (server) => {
  let admin: mysql.Connection
  const connection = resolvedFor(server)
  beforeAll(async () => {
    admin = await adminSession(server)
    await admin.query('CREATE DATABASE IF NOT EXISTS `browse schema`')
    await admin.query('DROP TABLE IF EXISTS `browse schema`.orders')
    await admin.query('DROP VIEW IF EXISTS `browse schema`.big_orders')
    await admin.query(`CREATE TABLE \`browse schema\`.orders (
      id BIGINT UNSIGNED NOT NULL, line SMALLINT NOT NULL, amount DECIMAL(12,2) NULL,
      placed TIMESTAMP NULL, note VARCHAR(40), PRIMARY KEY (id, line)) ENGINE=InnoDB`)
    await admin.query(
      `INSERT INTO \`browse schema\`.orders (id, line) VALUES (1, 1), (1, 2), (2, 1)`,
    )
    await admin.query('ANALYZE TABLE `browse schema`.orders')
    await admin.query(
      'CREATE VIEW `browse schema`.big_orders AS SELECT * FROM `browse schema`.orders WHERE amount > 100',
    )
  })
  afterAll(async () => {
    await admin.query('DROP DATABASE IF EXISTS `browse schema`')
    await admin.end()
  })

  it('lists user databases, without the system ones', async () => {
    const schemas = await mysqlDriver.browse(connection, {})
    const names = schemas.map((entry) => ('name' in entry ? entry.name : ''))
    expect(names).toEqual(expect.arrayContaining(['browse schema', 'sluice_test']))
    for (const system of ['mysql', 'information_schema', 'performance_schema', 'sys']) {
      expect(names).not.toContain(system)
    }
    expect(schemas.every((entry) => entry.type === 'schema')).toBe(true)
  })

  it('lists tables and views with estimated rows', async () => {
    expect(await mysqlDriver.browse(connection, { schema: 'browse schema' })).toEqual([
      {
        type: 'table',
        schema: 'browse schema',
        name: 'big_orders',
        view: true,
        estimatedRows: null,
      },
      { type: 'table', schema: 'browse schema', name: 'orders', view: false, estimatedRows: 3 },
    ])
  })

  it('lists columns with server and DuckDB types, nullability and the primary key', async () => {
    expect(
      await mysqlDriver.browse(connection, { schema: 'browse schema', table: 'orders' }),
    ).toEqual([
      {
        type: 'column',
        name: 'id',
        serverType: 'bigint(20) unsigned',
        duckdbType: 'UBIGINT',
        nullable: false,
        primaryKey: true,
      },
      {
        type: 'column',
        name: 'line',
        serverType: 'smallint(6)',
        duckdbType: 'SMALLINT',
        nullable: false,
        primaryKey: true,
      },
      {
        type: 'column',
        name: 'amount',
        serverType: 'decimal(12,2)',
        duckdbType: 'DECIMAL(12,2)',
        nullable: true,
        primaryKey: false,
      },
      {
        type: 'column',
        name: 'placed',
        serverType: 'timestamp',
        duckdbType: 'TIMESTAMPTZ',
        nullable: true,
        primaryKey: false,
      },
      {
        type: 'column',
        name: 'note',
        serverType: 'varchar(40)',
        duckdbType: 'VARCHAR',
        nullable: true,
        primaryKey: false,
      },
    ])
  })
})
