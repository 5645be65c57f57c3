import type { preview as en } from '../en/preview'

export const preview: typeof en = {
  title: '预览',
}
