import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import {
  writeCustomersCsv,
  writeLeadsCsv,
  writeOrdersCsv,
  type OrdersOptions,
} from '../src-main/service/sample-project/sample-data'

/** Where generated inputs, scratch staging files and results live (git-ignored). */
export const benchDataDir = resolve(import.meta.dirname, 'data')

/** The benchmark's seed: the same files on every machine, so runs compare. */
const seed = 20_240_601

/** One generated input set: the three files the sample pipeline reads. */
export interface OrdersDataset {
  rows: number
  dir: string
  orders: string
  /** GBK-encoded, as in the sample project. */
  customers: string
  leads: string
}

/** The dataset's folder name, e.g. `orders-1m`. */
export function datasetName(rows: number): string {
  return rows % 1_000_000 === 0 ? `orders-${rows / 1_000_000}m` : `orders-${rows}`
}

/** The paths of a dataset, whether or not it has been generated. */
export function datasetPaths(rows: number): OrdersDataset {
  const dir = join(benchDataDir, datasetName(rows))
  return {
    rows,
    dir,
    orders: join(dir, 'orders.csv'),
    customers: join(dir, 'customers.csv'),
    leads: join(dir, 'leads.csv'),
  }
}

/**
 * Generates a dirty orders dataset once (the pipeline then has real cleaning work); later calls
 * find it and return at once. Files are written into a `.partial` folder and renamed at the end,
 * so an interrupted generation is never mistaken for a finished one.
 */
export async function ensureDataset(
  rows: number,
  log: (line: string) => void,
): Promise<OrdersDataset> {
  const paths = datasetPaths(rows)
  if (existsSync(paths.dir)) {
    return paths
  }
  const partial = `${paths.dir}.partial`
  rmSync(partial, { recursive: true, force: true })
  mkdirSync(partial, { recursive: true })
  const options: OrdersOptions = {
    orders: rows,
    customers: Math.round(rows / 10),
    seed,
    dirty: true,
  }
  const started = performance.now()
  log(`generating ${datasetName(rows)} (${rows.toLocaleString('en')} orders) …`)
  await writeOrdersCsv(join(partial, 'orders.csv'), options)
  await writeCustomersCsv(join(partial, 'customers.csv'), options)
  await writeLeadsCsv(join(partial, 'leads.csv'), options)
  renameSync(partial, paths.dir)
  log(`generated ${datasetName(rows)} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return paths
}

/**
 * This run's scratch folder: staging files and outputs (gigabytes at 10M rows). Each run has its
 * own, so a run that ends and cleans up never pulls files from under another.
 */
const scratchRoot = join(benchDataDir, 'work', `run-${process.pid}`)

/** An empty folder in this run's scratch folder, cleared first if it exists. */
export function freshFolder(...parts: string[]): string {
  const folder = join(scratchRoot, ...parts)
  rmSync(folder, { recursive: true, force: true })
  mkdirSync(folder, { recursive: true })
  return folder
}

/** Removes this run's scratch folder, and those of runs that died without removing theirs. */
export function removeScratch(isAlive: (pid: number) => boolean): void {
  rmSync(scratchRoot, { recursive: true, force: true })
  const work = join(benchDataDir, 'work')
  for (const name of existsSync(work) ? readdirSync(work) : []) {
    const pid = Number(/^run-(\d+)$/.exec(name)?.[1])
    if (!Number.isInteger(pid) || !isAlive(pid)) {
      rmSync(join(work, name), { recursive: true, force: true })
    }
  }
}

/**
 * Reads a dataset's files once so both sides of a case start with them in the page cache,
 * whichever runs first.
 */
export async function warmCache(dataset: OrdersDataset): Promise<void> {
  await warmFiles([dataset.orders, dataset.customers, dataset.leads])
}

/** Reads files once so they are in the page cache. */
export async function warmFiles(files: readonly string[]): Promise<void> {
  for (const file of files) {
    for await (const _chunk of createReadStream(file, { highWaterMark: 1 << 22 })) {
      // reading is the point
    }
  }
}
