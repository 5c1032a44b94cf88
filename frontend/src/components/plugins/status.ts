import type { PluginStatus } from '../../api/pluginViews';

// Status is a protobuf enum: protojson writes its name, or its number when
// the sender knows a value this app does not. Unknown values read as none.
const byNumber: PluginStatus[] = ['STATUS_NONE', 'STATUS_OK', 'STATUS_WARNING', 'STATUS_ERROR', 'STATUS_PENDING', 'STATUS_INFO'];

const tones: Record<PluginStatus, Tone> = {
  STATUS_NONE: 'none',
  STATUS_OK: 'good',
  STATUS_WARNING: 'warn',
  STATUS_ERROR: 'bad',
  STATUS_PENDING: 'neutral',
  STATUS_INFO: 'info',
};

/** The app's badge and banner tones; none is plain text. */
export type Tone = 'none' | 'good' | 'warn' | 'bad' | 'neutral' | 'info';

export function statusTone(status: unknown): Tone {
  const name = typeof status === 'number' ? byNumber[status] : status;
  return typeof name === 'string' && name in tones ? tones[name as PluginStatus] : 'none';
}

/** How a status reads to a screen reader, next to text whose colour shows it. */
export const toneLabel: Record<Tone, string> = { none: '', good: 'ok', warn: 'warning', bad: 'error', neutral: 'pending', info: 'info' };
