import type { ApiHandlers } from '../../../src-shared/api'
import { sluiceError, SluiceFailure } from '../../../src-shared/errors'
import { validateConfig } from '../../../src-shared/nodes/quality'
import type { PipelineDetail } from '../../../src-shared/project'
import { ruleKinds, ruleSchema, type Rule, type RuleKind } from '../../../src-shared/quality'
import { rulesFromYaml, rulesToYaml } from '../../../src-shared/quality-yaml'
import type { ServiceContext } from '../service-context'

type QualityHandlers = Pick<
  ApiHandlers,
  'quality/trend' | 'quality/export-rules' | 'quality/import-rules'
>

/** Score trends and rule YAML for check, validate and gate nodes. */
export function qualityHandlers(context: ServiceContext): QualityHandlers {
  return {
    'quality/trend': async ({ pipelineId, nodeId, limit }) => {
      const { store } = context.project().session
      // Fails with PIPELINE_NOT_FOUND; the node may since have left the working copy.
      store.pipelines.get(pipelineId)
      return store.runs.qualityTrend(pipelineId, nodeId, limit)
    },
    'quality/export-rules': async ({ pipelineId, nodeId }) => {
      const pipeline = context.project().session.store.pipelines.get(pipelineId)
      return { yaml: rulesToYaml(rulesOfNode(pipeline, nodeId)) }
    },
    'quality/import-rules': async ({ yaml }) => {
      const read = rulesFromYaml(yaml)
      if (!read.ok) {
        throw new SluiceFailure(
          sluiceError(
            'IMPORT_INVALID',
            { file: 'The rules YAML', reason: read.reason },
            read.field ? { field: read.field } : {},
          ),
        )
      }
      return { rules: read.rules }
    },
  }
}

/**
 * The rules of a node in the saved working copy: a validate node's suite, or a single check
 * node's one rule. The config is checked first, so the YAML never holds a rule that would not run.
 */
function rulesOfNode(pipeline: PipelineDetail, nodeId: string): Rule[] {
  const node = pipeline.document.nodes.find((candidate) => candidate.id === nodeId)
  if (!node) {
    throw new SluiceFailure(
      sluiceError('NODE_NOT_FOUND', { pipeline: pipeline.name, node: nodeId }),
    )
  }
  const badConfig = (field: string, reason: string): SluiceFailure =>
    new SluiceFailure(sluiceError('BAD_CONFIG', { node: nodeId, field, reason }, { nodeId, field }))
  if (node.kind === 'quality.validate') {
    const parsed = validateConfig.safeParse(node.config)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw badConfig(`config.${issue?.path.join('.') ?? ''}`, issue?.message ?? 'not valid')
    }
    return parsed.data.rules
  }
  const kind = node.kind.startsWith('check.') ? node.kind.slice('check.'.length) : undefined
  if (kind !== undefined && (ruleKinds as string[]).includes(kind)) {
    const parsed = ruleSchema.safeParse({
      name: kind,
      ...configOf(node.config),
      check: kind as RuleKind,
    })
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw badConfig(`config.${issue?.path.join('.') ?? ''}`, issue?.message ?? 'not valid')
    }
    return [parsed.data]
  }
  throw new SluiceFailure(
    sluiceError('BAD_REQUEST', {
      method: 'quality/export-rules',
      reason: `node "${nodeId}" is a ${node.kind} node; only check and validate nodes have rules`,
    }),
  )
}

function configOf(config: unknown): Record<string, unknown> {
  return typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : {}
}
