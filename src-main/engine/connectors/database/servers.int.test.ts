import mysql from 'mysql2/promise'
import pg from 'pg'
import { expect, it } from 'vitest'
import { describeWithServer } from './test-servers'

describeWithServer('postgres', 'the private test server', (server) => {
  it('answers a password login on 127.0.0.1', async () => {
    const client = new pg.Client({ ...server, ssl: false })
    await client.connect()
    const result = await client.query<{ version: string }>('SELECT version()')
    await client.end()
    expect(result.rows[0]?.version).toMatch(/^PostgreSQL 15/)
  })
})

describeWithServer('mariadb', 'the private test server', (server) => {
  it('answers a password login on 127.0.0.1', async () => {
    const { socket: _socket, caFile: _ca, ...address } = server
    const connection = await mysql.createConnection(address)
    const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT VERSION() AS version')
    await connection.end()
    expect(String(rows[0]?.version)).toMatch(/MariaDB/)
  })
})
