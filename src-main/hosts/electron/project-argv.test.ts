import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { projectPathFromArgv } from './project-argv'

const cwd = resolve('/home/ana/work')
const project = resolve('/home/ana/data/sales.sluice')

describe('projectPathFromArgv', () => {
  it('finds the project a packaged app was started with', () => {
    expect(projectPathFromArgv(['/opt/Sluice/sluice', project], cwd)).toBe(project)
    expect(projectPathFromArgv(['C:\\Sluice\\Sluice.exe', project, '--flag'], cwd)).toBe(project)
  })

  it('has none when no project was given', () => {
    expect(projectPathFromArgv(['/opt/Sluice/sluice'], cwd)).toBeUndefined()
    expect(projectPathFromArgv([], cwd)).toBeUndefined()
    expect(projectPathFromArgv(['/opt/Sluice/sluice', 'notes.txt', '.'], cwd)).toBeUndefined()
  })

  it('skips an unpackaged app and the flags Chromium and macOS add to a second instance', () => {
    expect(
      projectPathFromArgv(
        [
          '/repo/node_modules/electron/dist/electron',
          '.',
          '--allow-file-access-from-files',
          '--original-process-start-time=13380000000000000',
          '-psn_0_12345',
          project,
        ],
        cwd,
      ),
    ).toBe(project)
    expect(projectPathFromArgv(['sluice', '--open=other.sluice'], cwd)).toBeUndefined()
  })

  it("resolves a relative path against the launch's working directory", () => {
    expect(projectPathFromArgv(['sluice', 'sales.sluice'], cwd)).toBe(resolve(cwd, 'sales.sluice'))
    expect(projectPathFromArgv(['sluice', '../q/Q1.SLUICE'], cwd)).toBe(
      resolve(cwd, '../q/Q1.SLUICE'),
    )
  })

  it('accepts file:// URLs from desktop launchers and paths after --', () => {
    expect(projectPathFromArgv(['sluice', pathToFileURL(project).href], cwd)).toBe(project)
    expect(projectPathFromArgv(['sluice', '--', '-odd-name.sluice'], cwd)).toBe(
      resolve(cwd, '-odd-name.sluice'),
    )
    expect(projectPathFromArgv(['sluice', 'file://%zz/x.sluice'], cwd)).toBeUndefined()
  })

  it('takes the last project when several are given', () => {
    const other = resolve('/home/ana/data/crm.sluice')
    expect(projectPathFromArgv(['sluice', project, other], cwd)).toBe(other)
  })
})
