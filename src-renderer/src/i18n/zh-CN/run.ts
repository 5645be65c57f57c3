import type { run as en } from '../en/run'

export const run: typeof en = {
  log: '运行日志',
  history: '历史',
  finishedNotice: '运行{status}，用时 {seconds} 秒。',
  status: {
    running: '进行中',
    succeeded: '成功',
    failed: '失败',
    cancelled: '已取消',
    interrupted: '被中断',
  },
}
