import type { config as en } from '../en/config'

export const config: typeof en = {
  problems: '问题',
}
