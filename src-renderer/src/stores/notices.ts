import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { SluiceError } from '../../../src-shared/errors'
import { SluiceFailure } from '../../../src-shared/errors'
import { translateError } from '../i18n'

export interface Notice {
  id: number
  kind: 'error' | 'info' | 'success'
  text: string
}

/** Short messages at the bottom of the window: failed requests in the user's language, and news. */
export const useNoticeStore = defineStore('notices', () => {
  const notices = ref<Notice[]>([])
  let nextId = 1

  function push(kind: Notice['kind'], text: string): void {
    notices.value = [...notices.value, { id: nextId, kind, text }].slice(-3)
    nextId += 1
  }

  /** Shows what went wrong; a `SluiceFailure` in the user's language, anything else as it is. */
  function error(thrown: unknown): void {
    const sluice: SluiceError | undefined =
      thrown instanceof SluiceFailure ? thrown.error : undefined
    push('error', sluice ? translateError(sluice) : String((thrown as Error)?.message ?? thrown))
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((notice) => notice.id !== id)
  }

  /** Runs `work`, showing its failure instead of throwing it. */
  async function attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work()
    } catch (thrown) {
      error(thrown)
      return undefined
    }
  }

  return {
    notices,
    info: (text: string) => push('info', text),
    success: (text: string) => push('success', text),
    error,
    dismiss,
    attempt,
  }
})
