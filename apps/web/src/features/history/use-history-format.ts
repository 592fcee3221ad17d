// How the history words a run: its status, times, duration, version, trigger and error, in the
// reader's language and locale.
import { useI18n } from 'vue-i18n';
import { useFormatDuration } from '../run/canvas-run-marks';
import type { RunSummary } from './history-api';
import { runErrorOf } from './run-history';

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info';

/** Element Plus tag colours, as the run marks colour nodes: green done, red failed, orange waiting. */
export const statusTagTypes: Readonly<Record<RunSummary['status'], TagType>> = {
  queued: 'info',
  running: 'primary',
  waiting: 'warning',
  completed: 'success',
  failed: 'danger',
  cancelled: 'info',
  interrupted: 'warning',
};

export function useHistoryFormat() {
  const { t, locale } = useI18n();
  const formatDuration = useFormatDuration();
  return {
    time: (ms: number | null): string => (ms === null ? '' : new Date(ms).toLocaleString(locale.value)),
    /** The run feature's wording, so a run's duration reads the same in the history and on the canvas. */
    duration: (ms: number | undefined): string => (ms === undefined ? '' : formatDuration(ms)),
    version: (version: number | null): string => (version === null ? t('history.draft') : t('history.version', { version })),
    status: (status: RunSummary['status']): string => t(`history.status.${status}`),
    trigger: (trigger: RunSummary['trigger']): string => t(`history.trigger.${trigger}`),
    error(stored: unknown): string {
      const error = runErrorOf(stored);
      return error ? t('history.error', { code: error.code, message: error.message }) : '';
    },
  };
}
