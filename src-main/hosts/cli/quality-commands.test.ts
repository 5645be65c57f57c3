import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { exitCodes } from './main'
import { sluice } from './test-support'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-cli-quality-'))
  // Rows 2 and 4 have no valid email; row 4 also a negative amount.
  writeFileSync(
    join(dir, 'customers.csv'),
    'id,email,amount\n1,a@x.org,10\n2,nope,20\n3,c@x.org,30\n4,d at x,-4\n',
  )
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const rules = [
  { name: 'email ok', check: 'pattern', column: 'email', preset: 'email', severity: 'warn' },
  { name: 'amount positive', check: 'range', column: 'amount', min: 0, severity: 'warn' },
]

/** customers.csv → validate → (pass) gate → good.csv; a gate with this minimum score. */
function gatedPipeline(minScore: number): object {
  const at = { x: 0, y: 0 }
  return {
    formatVersion: 1,
    name: 'Gated',
    parameters: {},
    nodes: [
      { id: 'customers', kind: 'source.csv', position: at, config: { path: 'customers.csv' } },
      { id: 'suite', kind: 'quality.validate', position: at, config: { rules, weights: {} } },
      { id: 'gate', kind: 'quality.gate', position: at, config: { minScore } },
      { id: 'good', kind: 'sink.csv', position: at, config: { path: 'out/good.csv' } },
    ],
    edges: [
      { from: { node: 'customers', port: 'out' }, to: { node: 'suite', port: 'in' } },
      { from: { node: 'suite', port: 'pass' }, to: { node: 'gate', port: 'in' } },
      { from: { node: 'gate', port: 'out' }, to: { node: 'good', port: 'in' } },
    ],
  }
}

function writePipeline(minScore: number): string {
  const path = join(dir, 'gated.json')
  writeFileSync(path, JSON.stringify(gatedPipeline(minScore)))
  return path
}

describe('quality in the CLI run summary', () => {
  it('prints each rule and the score, and exits 3 naming the gate and the push it stopped', async () => {
    // "email ok" fails 2 of 4 (0.5), "amount positive" 1 of 4 (0.75): validity 62.5,
    // completeness 100, score 81.25 (shown to one decimal).
    const { code, stdout } = await sluice('run', writePipeline(90))
    expect(code).toBe(exitCodes.blocked)
    expect(code).toBe(3)
    expect(stdout).toMatch(/^good\s+sink\.csv\s+blocked\s/m)
    expect(stdout).toContain('Run blocked in')
    const quality = stdout.slice(stdout.indexOf('Quality:'))
    expect(quality.split('\n').slice(0, 6)).toEqual([
      'Quality:',
      '  suite (quality.validate): score 81.3',
      '    warned  email ok         2/4 failed  ' + ruleMessage(stdout, 'email ok'),
      '    warned  amount positive  1/4 failed  ' + ruleMessage(stdout, 'amount positive'),
      '  gate (quality.gate): closed, the quality score of "suite" is 81.3, below the minimum 90',
      'Blocked by quality gate:',
    ])
    expect(stdout).toMatch(/^ {2}Push "good" did not run: quality gate "gate" stopped it \(/m)
    // The blocked push is said once, in the quality section, not again as an error line.
    expect(stdout).not.toContain('error [QUALITY_BLOCKED]')
    expect(existsSync(join(dir, 'out', 'good.csv'))).toBe(false)
  })

  it('exits 0 when the gate is open, still listing the warned rules', async () => {
    const { code, stdout } = await sluice('run', writePipeline(80))
    expect(code).toBe(0)
    expect(stdout).toContain('  gate (quality.gate): open, score 81.3')
    expect(stdout).toMatch(/^ {4}warned {2}email ok {9}2\/4 failed/m)
    expect(readFileSync(join(dir, 'out', 'good.csv'), 'utf8')).toBe(
      'id,email,amount\n1,a@x.org,10\n3,c@x.org,30\n',
    )
  })

  it('exits 3 from a project run too, and the history says blocked', async () => {
    const project = join(dir, 'shop.sluice')
    expect((await sluice('create', project)).code).toBe(0)
    expect((await sluice('import', project, writePipeline(90))).code).toBe(0)
    const run = await sluice('run', project, 'Gated')
    expect(run.code).toBe(3)
    expect(run.stdout).toContain('Blocked by quality gate:')
    const history = await sluice('history', project)
    expect(history.stdout).toMatch(/Gated .*│ cli +│ blocked/)
  })
})

describe('rules as YAML from the CLI', () => {
  it('exports a suite to a file and imports an edited one into the working copy', async () => {
    const project = join(dir, 'shop.sluice')
    await sluice('create', project)
    await sluice('import', project, writePipeline(90))
    const yamlFile = join(dir, 'rules.yaml')
    const exported = await sluice('export-rules', project, 'Gated', 'suite', yamlFile)
    expect(exported.code).toBe(0)
    const yaml = readFileSync(yamlFile, 'utf8')
    expect(yaml).toBe((await sluice('export-rules', project, 'Gated', 'suite')).stdout)
    expect(yaml).toContain('  - name: email ok\n    check: pattern\n')

    // Relax the email rule to warn only below 50 % valid; the run's gate then opens.
    writeFileSync(
      yamlFile,
      yaml.replace('    severity: warn\n', '    severity: warn\n    mostly: 0.5\n'),
    )
    const imported = await sluice('import-rules', project, 'Gated', 'suite', yamlFile)
    expect(imported).toMatchObject({ code: 0, stderr: '' })
    expect(imported.stdout).toContain('Imported 2 rule(s) into node "suite" of "Gated"')
    expect((await sluice('export-rules', project, 'Gated', 'suite')).stdout).toContain(
      '    mostly: 0.5\n',
    )

    writeFileSync(yamlFile, 'rules:\n  - name: x\n    check: pattern\n    column: email\n')
    const refused = await sluice('import-rules', project, 'Gated', 'suite', yamlFile)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toBe(
      'error [IMPORT_INVALID] (regex): The rules YAML cannot be imported: rule 1 ("x"), field "regex": choose a preset or write a regex (one of them).\n',
    )
    writeFileSync(yamlFile, yaml)
    const notRules = await sluice('import-rules', project, 'Gated', 'gate', yamlFile)
    expect(notRules.code).toBe(2)
    expect(notRules.stderr).toBe(
      'Node "gate" is a quality.gate node; only check and validate nodes take rules.\n',
    )
  })
})

/** The message the summary printed for a rule (its wording is the engine's). */
function ruleMessage(stdout: string, rule: string): string {
  const line = stdout.split('\n').find((text) => text.includes(` ${rule} `)) ?? ''
  return line.replace(/^.* failed {2}/, '')
}
