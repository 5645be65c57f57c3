import { defineStore } from 'pinia'
import { ref } from 'vue'
import type {
  Parameter,
  PipelineSummary,
  ProjectInfo,
  RecentProject,
} from '../../../src-shared/project'
import { api } from '../host/current-host'

/** The open project: its info, pipelines and parameters; and the recent projects list. */
export const useProjectStore = defineStore('project', () => {
  const info = ref<ProjectInfo | null>(null)
  const pipelines = ref<PipelineSummary[]>([])
  const parameters = ref<Parameter[]>([])
  const recent = ref<RecentProject[]>([])

  async function loadRecent(): Promise<void> {
    recent.value = await api()['project/recent']({})
  }

  async function refresh(): Promise<void> {
    const [list, params] = await Promise.all([
      api()['pipeline/list']({}),
      api()['parameter/list']({}),
    ])
    pipelines.value = list
    parameters.value = params
  }

  async function opened(project: ProjectInfo): Promise<void> {
    info.value = project
    await refresh()
  }

  async function create(path: string, name: string): Promise<void> {
    await opened(await api()['project/create']({ path, name }))
  }

  async function open(path: string): Promise<void> {
    await opened(await api()['project/open']({ path }))
  }

  async function openSample(): Promise<void> {
    await opened(await api()['project/openSample']({}))
  }

  async function close(): Promise<void> {
    await api()['project/close']({})
    info.value = null
    pipelines.value = []
    parameters.value = []
    await loadRecent()
  }

  async function createPipeline(name: string): Promise<PipelineSummary> {
    const created = await api()['pipeline/create']({ name })
    await refresh()
    return created
  }

  async function renamePipeline(id: string, name: string): Promise<void> {
    await api()['pipeline/update']({ id, name })
    await refresh()
  }

  async function duplicatePipeline(id: string): Promise<PipelineSummary> {
    const copy = await api()['pipeline/duplicate']({ id })
    await refresh()
    return copy
  }

  async function deletePipeline(id: string): Promise<void> {
    await api()['pipeline/delete']({ id })
    await refresh()
  }

  /** The project parameters as `${name}` values for validation. */
  const parameterValues = (): Record<string, string> =>
    Object.fromEntries(parameters.value.map((parameter) => [parameter.name, parameter.value]))

  return {
    info,
    pipelines,
    parameters,
    recent,
    loadRecent,
    refresh,
    create,
    open,
    openSample,
    close,
    createPipeline,
    renamePipeline,
    duplicatePipeline,
    deletePipeline,
    parameterValues,
  }
})
