import type { MessageSchema } from '../en'
import { app } from './app'
import { canvas } from './canvas'
import { config } from './config'
import { errors } from './errors'
import { nodes } from './nodes'
import { preview } from './preview'
import { run } from './run'

/** 简体中文: the same keys as en, checked by the type. */
export const zhCnMessages: MessageSchema = {
  ...app,
  canvas,
  config,
  nodes,
  preview,
  run,
  errors,
}
