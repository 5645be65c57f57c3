import { readFile, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { PipelineNode } from '../../../src-shared/pipeline'
import type { Rule } from '../../../src-shared/quality'
import type { CliIo } from './main'
import { findPipeline } from './find-pipeline'
import type { ProjectCommand } from './project-commands'

export const rulesUsage = `  sluice export-rules <project.sluice> <pipeline> <node> [rules.yaml]
  sluice import-rules <project.sluice> <pipeline> <node> <rules.yaml>`

function needs(what: string, value: string | undefined, io: CliIo): value is string {
  if (value === undefined) {
    io.stderr.write(`This command needs ${what}.\nUsage:\n${rulesUsage}\n`)
  }
  return value !== undefined
}

/**
 * A validate node's rules (or a check node's one rule) to and from YAML, so a suite can be
 * reviewed and versioned beside the project. Import replaces the node's rules in the working copy.
 */
export const rulesCommands: Record<string, ProjectCommand> = {
  'export-rules': async ({ client }, [name, nodeId, file], _options, io) => {
    if (!needs('a pipeline name', name, io) || !needs('a node id', nodeId, io)) {
      return 2
    }
    const pipeline = await findPipeline(client, name)
    const { yaml } = await client['quality/export-rules']({ pipelineId: pipeline.id, nodeId })
    if (file === undefined) {
      io.stdout.write(yaml)
      return 0
    }
    await writeFile(resolve(file), yaml)
    io.stdout.write(`Wrote the rules of node "${nodeId}" to ${resolve(file)}.\n`)
    return 0
  },
  'import-rules': async ({ client }, [name, nodeId, file], _options, io) => {
    if (
      !needs('a pipeline name', name, io) ||
      !needs('a node id', nodeId, io) ||
      !needs('the YAML file to read', file, io)
    ) {
      return 2
    }
    const pipeline = await findPipeline(client, name)
    const { rules } = await client['quality/import-rules']({
      yaml: await readFile(resolve(file), 'utf8'),
    })
    const { document } = await client['pipeline/get']({ id: pipeline.id })
    const node = document.nodes.find((candidate) => candidate.id === nodeId)
    if (!node) {
      io.stderr.write(`Pipeline "${pipeline.name}" has no node "${nodeId}".\n`)
      return 2
    }
    const config = configWithRules(node, rules)
    if (typeof config === 'string') {
      io.stderr.write(`${config}\n`)
      return 2
    }
    const nodes = document.nodes.map((candidate) =>
      candidate.id === nodeId ? { ...candidate, config } : candidate,
    )
    await client['pipeline/autosave']({ id: pipeline.id, document: { ...document, nodes } })
    io.stdout.write(
      `Imported ${rules.length} rule(s) into node "${nodeId}" of "${pipeline.name}" (working copy; save a version to keep it).\n`,
    )
    return 0
  },
}

/** The node's config holding `rules`, or why the node cannot take them. */
function configWithRules(node: PipelineNode, rules: Rule[]): Record<string, unknown> | string {
  if (node.kind === 'quality.validate') {
    return { ...node.config, rules }
  }
  const kind = node.kind.startsWith('check.') ? node.kind.slice('check.'.length) : undefined
  if (kind === undefined) {
    return `Node "${node.id}" is a ${node.kind} node; only check and validate nodes take rules.`
  }
  const [rule] = rules
  if (rules.length !== 1 || !rule || rule.check !== kind) {
    return `Node "${node.id}" is a ${node.kind} node: it takes exactly one rule with check: ${kind}.`
  }
  const { check: _check, ...config } = rule
  return config
}
