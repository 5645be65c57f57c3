import { z } from 'zod'

/** The main window's size and place, saved in the app store under `mainWindowStateKey`. */
export interface WindowState {
  x?: number
  y?: number
  width: number
  height: number
  maximized: boolean
}

export interface Area {
  x: number
  y: number
  width: number
  height: number
}

export const mainWindowStateKey = 'main'
export const defaultWindowState: WindowState = { width: 1280, height: 800, maximized: false }
export const minimumWindowSize = { width: 800, height: 560 }

const coordinate = z.number().int().min(-100_000).max(100_000)
const savedStateSchema = z.object({
  x: coordinate.optional(),
  y: coordinate.optional(),
  width: z.number().int().positive().max(100_000),
  height: z.number().int().positive().max(100_000),
  maximized: z.boolean().default(false),
})

/** How much of a window must lie on a screen for its saved place to be reused. */
const visibleMargin = { width: 120, height: 60 }

/**
 * The state to open the window with: the saved one when it is valid and still on a screen (a
 * monitor may have been unplugged since), clamped to that screen; otherwise the saved size,
 * centred (no x/y); and the default when nothing usable was saved.
 */
export function restoreWindowState(saved: unknown, workAreas: readonly Area[]): WindowState {
  const parsed = savedStateSchema.safeParse(saved)
  if (!parsed.success) {
    return defaultWindowState
  }
  const { x, y, maximized } = parsed.data
  const width = Math.max(parsed.data.width, minimumWindowSize.width)
  const height = Math.max(parsed.data.height, minimumWindowSize.height)
  const largest = workAreas.reduce<Area | undefined>(
    (best, area) => (best && best.width * best.height >= area.width * area.height ? best : area),
    undefined,
  )
  if (x === undefined || y === undefined) {
    return clampSize({ width, height, maximized }, largest)
  }
  const screen = workAreas.find((area) => overlap({ x, y, width, height }, area))
  if (screen === undefined) {
    return clampSize({ width, height, maximized }, largest)
  }
  const clamped = clampSize({ width, height, maximized }, screen)
  return {
    ...clamped,
    x: Math.min(Math.max(x, screen.x), screen.x + screen.width - clamped.width),
    y: Math.min(Math.max(y, screen.y), screen.y + screen.height - clamped.height),
  }
}

function overlap(window: Area, area: Area): boolean {
  const width = Math.min(window.x + window.width, area.x + area.width) - Math.max(window.x, area.x)
  const height =
    Math.min(window.y + window.height, area.y + area.height) - Math.max(window.y, area.y)
  return width >= visibleMargin.width && height >= visibleMargin.height
}

function clampSize(state: WindowState, area: Area | undefined): WindowState {
  if (area === undefined) {
    return state
  }
  return {
    ...state,
    width: Math.min(state.width, area.width),
    height: Math.min(state.height, area.height),
  }
}
