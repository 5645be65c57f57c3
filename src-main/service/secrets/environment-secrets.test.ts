import { describe, expect, it } from 'vitest'
import { SluiceFailure } from '../../../src-shared/errors'
import { createEnvironmentSecrets } from './environment-secrets'

describe('createEnvironmentSecrets', () => {
  const env = { SLUICE_SECRET_WAREHOUSE: 'hunter2', SLUICE_SECRET_EMPTY: '', PATH: '/usr/bin' }
  const secrets = createEnvironmentSecrets(env)

  it('reads SLUICE_SECRET_<REF> from the environment it was given', async () => {
    expect(await secrets.get('WAREHOUSE')).toBe('hunter2')
    expect(await secrets.get('warehouse')).toBe('hunter2')
  })

  it('has no secret for an unset or empty variable', async () => {
    expect(await secrets.get('CRM')).toBeUndefined()
    expect(await secrets.get('EMPTY')).toBeUndefined()
  })

  it('tells the user which variable to set', () => {
    expect(secrets.hint('warehouse')).toBe('set SLUICE_SECRET_WAREHOUSE')
    expect(secrets.description).toBe('environment variables')
  })

  it('refuses to save or delete, naming the variable to set instead', async () => {
    const saving = secrets.set('crm', 'pa55')
    await expect(saving).rejects.toBeInstanceOf(SluiceFailure)
    await expect(saving).rejects.toMatchObject({
      error: {
        code: 'SECRET_STORE_READ_ONLY',
        message:
          'Secrets cannot be saved from here; set the environment variable SLUICE_SECRET_CRM before starting Sluice.',
      },
    })
    await expect(secrets.delete('WAREHOUSE')).rejects.toMatchObject({
      error: { code: 'SECRET_STORE_READ_ONLY' },
    })
    expect(env.SLUICE_SECRET_WAREHOUSE).toBe('hunter2')
    expect(Object.keys(env)).not.toContain('SLUICE_SECRET_CRM')
  })
})
