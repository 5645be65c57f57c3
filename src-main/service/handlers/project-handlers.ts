import { readFile, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import type { ApiHandlers } from '../../../src-shared/api'
import { sluiceError, SluiceFailure } from '../../../src-shared/errors'
import { exportProject, importProject, ProjectStore } from '../../store'
import { ProjectSession } from '../project-session'
import { createSampleProject } from '../sample-project/create-sample-project'
import type { ServiceContext } from '../service-context'

type ProjectHandlers = Pick<
  ApiHandlers,
  | 'project/create'
  | 'project/open'
  | 'project/close'
  | 'project/info'
  | 'project/update'
  | 'project/recent'
  | 'project/openSample'
  | 'project/export'
  | 'project/import'
  | 'settings/get'
  | 'settings/update'
>

/** Projects (create, open, close, export, import) and the app-level settings. */
export function projectHandlers(context: ServiceContext): ProjectHandlers {
  const { appStore } = context.options
  const openStore = async (store: ProjectStore): Promise<ReturnType<ProjectStore['info']>> => {
    await context.replaceProject(
      new ProjectSession(store, context.options.secrets, context.options.memoryLimit),
    )
    const info = store.info()
    appStore?.rememberProject({ path: info.path, name: info.name })
    return info
  }
  return {
    'project/create': async ({ path, name, description }) =>
      openStore(
        ProjectStore.create(resolve(path), { name, ...(description ? { description } : {}) }),
      ),
    'project/open': async ({ path }) => openStore(ProjectStore.open(resolve(path))),
    'project/close': async () => {
      await context.replaceProject(undefined)
      return null
    },
    'project/info': async () => context.project().session.store.info(),
    'project/update': async (fields) => {
      const { session, runs } = context.project()
      if (fields.stagingPath !== undefined) {
        runs.assertIdle()
        await session.reopenStaging()
      }
      return session.store.update(fields)
    },
    'project/recent': async () => appStore?.recentProjects() ?? [],
    'project/openSample': async () => {
      const folder = context.options.samplesFolder ?? join(homedir(), 'Sluice samples')
      return openStore(ProjectStore.open(await createSampleProject(folder)))
    },
    'project/export': async ({ path, includeRuns }) => {
      const data = exportProject(context.project().session.store, { includeRuns })
      const file = resolve(path)
      try {
        await writeFile(file, `${JSON.stringify(data, null, 2)}\n`)
      } catch (thrown) {
        throw new SluiceFailure(
          sluiceError('PROJECT_WRITE_FAILED', { file, reason: String(thrown) }),
        )
      }
      return { path: file, pipelines: data.pipelines.length, runs: data.runs?.length ?? 0 }
    },
    'project/import': async ({ from, path }) => {
      const source = resolve(from)
      let data: unknown
      try {
        data = JSON.parse(await readFile(source, 'utf8'))
      } catch (thrown) {
        const reason =
          thrown instanceof SyntaxError ? `not valid JSON (${thrown.message})` : String(thrown)
        throw new SluiceFailure(sluiceError('IMPORT_INVALID', { file: source, reason }))
      }
      return openStore(importProject(resolve(path), data))
    },
    'settings/get': async () => ({
      language: appStore?.chosenLanguage() ?? null,
      theme: appStore?.theme() ?? null,
    }),
    'settings/update': async ({ language, theme }) => {
      if (language) {
        appStore?.setLanguage(language)
      }
      if (theme) {
        appStore?.setTheme(theme)
      }
      // Without an app store (the CLI) nothing is remembered; answer with what was asked.
      return {
        language: appStore?.chosenLanguage() ?? language ?? null,
        theme: appStore?.theme() ?? theme ?? null,
      }
    },
  }
}
