import { errorMessages } from '../../../../src-shared/errors'
import { app } from './app'
import { canvas } from './canvas'
import { config } from './config'
import { connections } from './connections'
import { nodes } from './nodes'
import { preview } from './preview'
import { quality } from './quality'
import { run } from './run'

/** Every English string of the UI, by area; zh-CN must have the same keys (see ../zh-CN). */
export const enMessages = {
  ...app,
  canvas,
  config,
  connections,
  nodes,
  preview,
  quality,
  run,
  /** The service's own sentences: the one table in src-shared. */
  errors: errorMessages,
}

type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> }

/** The shape every language's messages must have. */
export type MessageSchema = Messages<typeof enMessages>
