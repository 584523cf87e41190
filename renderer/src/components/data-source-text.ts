import type { DataSource } from '../../../shared/contract/index.ts';

export const STATE_LABEL: Record<DataSource['state'], string> = {
  starting: 'Starting',
  ready: 'Ready',
  offline: 'Offline',
  error: 'Error',
};

export type StateTone = 'success' | 'warning' | 'danger' | 'informative';

export const STATE_TONE: Record<DataSource['state'], StateTone> = {
  starting: 'informative',
  ready: 'success',
  offline: 'warning',
  error: 'danger',
};
