import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ApiClient, ApiEvent } from '../../src-shared/api'
import type { Pipeline } from '../../src-shared/pipeline'
import { createEnvironmentSecrets } from './secrets/environment-secrets'
import { createSluiceService, type SluiceService } from './service'

/** A service on a fresh project in a temp folder, with secrets from the given environment. */
export interface ServiceSandbox {
  dir: string
  projectPath: string
  service: SluiceService
  client: ApiClient
  events: ApiEvent[]
  write(name: string, content: string): string
  close(): Promise<void>
}

export async function createServiceSandbox(
  env: Record<string, string> = {},
): Promise<ServiceSandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-service-'))
  const service = createSluiceService({
    secrets: createEnvironmentSecrets(env),
    memoryLimit: '512MiB',
  })
  const events: ApiEvent[] = []
  service.subscribe((event) => events.push(event))
  const projectPath = join(dir, 'shop.sluice')
  await service.client['project/create']({ path: projectPath, name: 'Shop' })
  return {
    dir,
    projectPath,
    service,
    client: service.client,
    events,
    write: (name, content) => {
      const path = join(dir, name)
      writeFileSync(path, content)
      return path
    },
    close: async () => {
      await service.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * A small real pipeline: read `orders.csv` from `${data}`, keep rows over `${minimum}`, write
 * `big_orders.csv` to `${output}`.
 */
export function ordersPipeline(minimum = '10'): Pipeline {
  return {
    formatVersion: 1,
    name: 'Big orders',
    parameters: { data: '.', output: 'out', minimum },
    nodes: [
      {
        id: 'orders',
        kind: 'source.csv',
        position: { x: 0, y: 0 },
        config: { path: '${data}/orders.csv' },
      },
      {
        id: 'big',
        kind: 'transform.filter',
        position: { x: 200, y: 0 },
        config: { where: 'amount > ${minimum}' },
      },
      {
        id: 'save',
        kind: 'sink.csv',
        position: { x: 400, y: 0 },
        config: { path: '${output}/big_orders.csv' },
      },
    ],
    edges: [
      { from: { node: 'orders', port: 'out' }, to: { node: 'big', port: 'in' } },
      { from: { node: 'big', port: 'out' }, to: { node: 'save', port: 'in' } },
    ],
  }
}

/** `orders.csv` with `count` rows, amounts 1..count. */
export function ordersCsv(count: number): string {
  const lines = ['id,customer,amount']
  for (let id = 1; id <= count; id += 1) {
    lines.push(`${id},c${id % 7},${id}`)
  }
  return `${lines.join('\n')}\n`
}
