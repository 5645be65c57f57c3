import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src-shared/project'
import { connectionFieldsSchema } from '../../../src-shared/project'
import { draftOf, draftProblems, fieldsOf, newDraft, withKind } from './connection-form'

const stored: Connection = {
  id: 'c1',
  name: 'Sales',
  kind: 'postgres',
  host: 'db.example.com',
  port: 6543,
  database: 'sales',
  user: 'ana',
  options: { sslMode: 'verify-full', sslCaFile: '/etc/ca.pem', connectTimeoutSeconds: 5, app: 'x' },
  secretRef: 'SALES',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
}

describe('newDraft and withKind', () => {
  it('starts a server connection on its default port', () => {
    expect(newDraft('postgres')).toMatchObject({
      port: '5432',
      host: 'localhost',
      sslMode: 'prefer',
    })
    expect(newDraft('mysql').port).toBe('3306')
    expect(newDraft('sqlite')).toMatchObject({ port: '', host: '' })
  })

  it('moves an untouched port to the new kind’s default and keeps a typed one', () => {
    expect(withKind(newDraft('postgres'), 'mysql').port).toBe('3306')
    expect(withKind({ ...newDraft('postgres'), port: '6000' }, 'mysql').port).toBe('6000')
    expect(withKind(newDraft('sqlite'), 'postgres')).toMatchObject({
      port: '5432',
      host: 'localhost',
    })
  })
})

describe('draftOf', () => {
  it('reads a stored connection with its options, never a password', () => {
    expect(draftOf(stored)).toEqual({
      name: 'Sales',
      kind: 'postgres',
      host: 'db.example.com',
      port: '6543',
      database: 'sales',
      user: 'ana',
      sslMode: 'verify-full',
      sslCaFile: '/etc/ca.pem',
      connectTimeoutSeconds: '5',
      password: '',
    })
  })

  it('falls back to defaults for options it cannot read', () => {
    const odd = { ...stored, port: undefined, options: { sslMode: 'sometimes' } }
    expect(draftOf(odd)).toMatchObject({
      port: '5432',
      sslMode: 'prefer',
      connectTimeoutSeconds: '15',
    })
  })
})

describe('fieldsOf', () => {
  it('sends server fields and options, keeps the secret name and other options, never the password', () => {
    const draft = { ...draftOf(stored), password: 'hunter2', sslCaFile: '' }
    const fields = fieldsOf(draft, stored)
    expect(fields).toEqual({
      name: 'Sales',
      kind: 'postgres',
      secretRef: 'SALES',
      host: 'db.example.com',
      port: 6543,
      database: 'sales',
      user: 'ana',
      options: { app: 'x', sslMode: 'verify-full', connectTimeoutSeconds: 5 },
    })
    expect(JSON.stringify(fields)).not.toContain('hunter2')
    expect(connectionFieldsSchema.safeParse(fields).success).toBe(true)
  })

  it('sends a file connection as its name, kind and file', () => {
    const draft = { ...newDraft('sqlite'), name: ' Shop ', database: '/data/shop.sqlite' }
    const fields = fieldsOf(draft)
    expect(fields).toEqual({
      name: 'Shop',
      kind: 'sqlite',
      database: '/data/shop.sqlite',
      options: {},
    })
    expect(connectionFieldsSchema.safeParse(fields).success).toBe(true)
  })
})

describe('draftProblems', () => {
  it('asks for a name, unique without regard to case', () => {
    expect(draftProblems(newDraft(), []).name).toBe('nameRequired')
    expect(draftProblems({ ...newDraft(), name: 'sales' }, [stored]).name).toBe('nameTaken')
    expect(draftProblems({ ...newDraft(), name: 'sales' }, [stored], 'c1')).toEqual({})
  })

  it('asks a file connection for its file only', () => {
    expect(draftProblems({ ...newDraft('sqlite'), name: 'Shop' }, [])).toEqual({
      database: 'fileRequired',
    })
  })

  it('checks the host, port and timeout of a server connection', () => {
    const draft = {
      ...newDraft(),
      name: 'X',
      host: ' ',
      port: '70000',
      connectTimeoutSeconds: '0',
    }
    expect(draftProblems(draft, [])).toEqual({
      host: 'hostRequired',
      port: 'portInvalid',
      connectTimeoutSeconds: 'timeoutInvalid',
    })
  })
})
