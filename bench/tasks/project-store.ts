import { join } from 'node:path'
import Database from 'better-sqlite3'
import { z } from 'zod'
import type { NodeRunRecord } from '../../src-shared/project'
import { ProjectStore } from '../../src-main/store'
import { reportWork, taskInput } from '../measure'
import { chainPipeline } from '../pipelines'

/**
 * Child task for case (f): the project store's three timed operations, each against plain
 * better-sqlite3 doing the least the same job needs on the same machine (same pragmas: WAL,
 * synchronous FULL). Reports the median of each as a step: `<operation>` and `<operation>:raw`.
 */
const input = taskInput(
  z.object({ folder: z.string(), reps: z.number().int().min(1), runs: z.number().int() }),
)

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN
}

function timed(work: () => void): number {
  const started = performance.now()
  work()
  return performance.now() - started
}

function rawDatabase(path: string): Database.Database {
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  return db
}

function nodeRecords(runIndex: number): NodeRunRecord[] {
  return ['orders', 'clean', 'dedupe', 'save'].map((nodeId, index) => ({
    nodeId,
    kind: index === 0 ? 'source.csv' : 'transform.filter',
    status: runIndex % 3 === 0 ? 'reused' : 'done',
    rowsIn: 10_000,
    rowsOut: 9_000 - index,
    rowsRejected: index === 0 ? 12 : 0,
    ms: 100 + index,
    fingerprint: `f${runIndex}-${index}`,
    reused: runIndex % 3 === 0,
    warnings: [],
  }))
}

await reportWork(async (step, note) => {
  // 1. Save a version of a 200-node pipeline.
  const big = chainPipeline(200, 0)
  note(`200-node document: ${(JSON.stringify(big).length / 1024).toFixed(0)} KiB of JSON`)
  const store = ProjectStore.create(join(input.folder, 'save.sluice'), { name: 'Bench' })
  const pipeline = store.pipelines.create({ name: 'Chain', document: big })
  const saves: number[] = []
  for (let rep = 0; rep < input.reps; rep += 1) {
    const document = chainPipeline(200, rep + 1)
    saves.push(
      timed(() => store.pipelines.saveVersion(pipeline.id, { message: `v${rep}`, document })),
    )
  }
  step('save-version', median(saves))
  const raw = rawDatabase(join(input.folder, 'save-raw.db'))
  raw.exec(
    'CREATE TABLE versions (pipeline TEXT, version INTEGER, saved_at TEXT, message TEXT, document TEXT, PRIMARY KEY (pipeline, version))',
  )
  const insert = raw.prepare('INSERT INTO versions VALUES (?, ?, ?, ?, ?)')
  const rawSaves: number[] = []
  for (let rep = 0; rep < input.reps; rep += 1) {
    const text = JSON.stringify(chainPipeline(200, rep + 1))
    rawSaves.push(
      timed(() =>
        raw.transaction(() => insert.run('p', rep, new Date().toISOString(), `v${rep}`, text))(),
      ),
    )
  }
  step('save-version:raw', median(rawSaves))
  raw.close()

  // 2. A page of 50 runs out of `runs` records (first page, and a page from the middle).
  const started = performance.now()
  for (let index = 0; index < input.runs; index += 1) {
    const id = `run-${String(index).padStart(6, '0')}`
    const at = new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString()
    store.runs.start({
      id,
      pipelineId: pipeline.id,
      pipelineName: 'Chain',
      pipelineVersion: 1,
      trigger: 'schedule',
      parameters: {},
      startedAt: at,
    })
    for (const record of nodeRecords(index)) {
      store.runs.recordNode(id, record)
    }
    store.runs.finish(id, { status: 'succeeded', endedAt: at, errors: [] })
  }
  note(
    `wrote ${input.runs} run records through the store in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  )
  const middle = `run-${String(Math.floor(input.runs / 2)).padStart(6, '0')}`
  const pages: number[] = []
  const deepPages: number[] = []
  for (let rep = 0; rep < input.reps; rep += 1) {
    pages.push(timed(() => store.runs.list({ limit: 50 })))
    deepPages.push(timed(() => store.runs.list({ limit: 50, before: middle })))
  }
  step('runs-page', median(pages))
  step('runs-page-middle', median(deepPages))
  store.close()
  const flat = rawDatabase(join(input.folder, 'runs-raw.db'))
  flat.exec('CREATE TABLE runs (id TEXT PRIMARY KEY, started_at TEXT, status TEXT, pipeline TEXT)')
  flat.exec('CREATE INDEX runs_started ON runs (started_at, id)')
  const add = flat.prepare('INSERT INTO runs VALUES (?, ?, ?, ?)')
  flat.transaction(() => {
    for (let index = 0; index < input.runs; index += 1) {
      add.run(
        `run-${index}`,
        new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString(),
        'succeeded',
        'Chain',
      )
    }
  })()
  const page = flat.prepare('SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT 50')
  step('runs-page:raw', median(Array.from({ length: input.reps }, () => timed(() => page.all()))))
  flat.close()

  // 3. Open a project of 100 pipelines × 50 versions and list its pipelines, as the app does.
  const path = join(input.folder, 'open.sluice')
  const large = ProjectStore.create(path, { name: 'Many versions' })
  const setup = performance.now()
  for (let index = 0; index < 100; index += 1) {
    const created = large.pipelines.create({
      name: `Pipeline ${index}`,
      document: chainPipeline(20, 0),
    })
    for (let version = 1; version <= 50; version += 1) {
      large.pipelines.saveVersion(created.id, {
        message: `v${version}`,
        document: chainPipeline(20, version),
      })
    }
  }
  large.close()
  note(`built 100 pipelines × 50 versions in ${((performance.now() - setup) / 1000).toFixed(1)} s`)
  const opens: number[] = []
  let listed = 0
  for (let rep = 0; rep < input.reps; rep += 1) {
    opens.push(
      timed(() => {
        const opened = ProjectStore.open(path)
        listed = opened.pipelines.list().length
        opened.close()
      }),
    )
  }
  note(`open lists ${listed} pipelines`)
  step('open-project', median(opens))
  const rawOpens = Array.from({ length: input.reps }, () =>
    timed(() => {
      const db = new Database(path, { readonly: true })
      db.prepare('SELECT count(*) FROM sqlite_master').get()
      db.close()
    }),
  )
  step('open-project:raw', median(rawOpens))
})
