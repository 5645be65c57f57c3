import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { FilePickerUi } from '../host/connect'
import type { FilePickRequest } from '../host/host'

interface OpenPicker {
  mode: 'open' | 'save'
  request: FilePickRequest
  resolve(path: string | null): void
}

/**
 * The web host's file picker: `pick` opens FilePickerDialog and resolves with the chosen path
 * (or null). The desktop app uses native dialogs instead and never opens this.
 */
export const useFilePickerStore = defineStore('file-picker', () => {
  const open = ref<OpenPicker | null>(null)
  const pick: FilePickerUi['pick'] = (mode, request) =>
    new Promise((resolve) => {
      open.value?.resolve(null)
      open.value = { mode, request, resolve }
    })
  const finish = (path: string | null): void => {
    const picker = open.value
    open.value = null
    picker?.resolve(path)
  }
  return { open, pick, finish }
})
