import type { MessageSchema } from '../en'
import { app } from './app'
import { canvas } from './canvas'
import { config } from './config'
import { connections } from './connections'
import { errors } from './errors'
import { nodes } from './nodes'
import { preview } from './preview'
import { quality } from './quality'
import { run } from './run'

/** 简体中文: the same keys as en, checked by the type. */
export const zhCnMessages: MessageSchema = {
  ...app,
  canvas,
  config,
  connections,
  nodes,
  preview,
  quality,
  run,
  errors,
}
