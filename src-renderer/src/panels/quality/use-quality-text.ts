import { useI18n } from 'vue-i18n'
import type { QualityBadge } from './quality-summary'

/** The words of a quality badge ("12 rules passed", "2 warned", "Gate closed"), as on the canvas. */
export function useQualityText(): (badge: QualityBadge) => string {
  const { t } = useI18n()
  return ({ outcome, count, score }) =>
    outcome === 'passed' && count === 1
      ? t('quality.badge.passedOne')
      : t(`quality.badge.${outcome}`, { count, score })
}
