// What a run's status means, told from what the run recorded rather than guessed: the manifest's
// status, the summary's stopReason / divergence / error, the best validation result and the
// events of the metrics log (an interruption writes one with its reason). Pure, unit-tested.
import type { MetricsRecord, RunManifest } from '../../../../shared/runFormat';
import { formatPercent } from '../shell/format';

export type StatusTone = 'ok' | 'info' | 'warn' | 'error';

export interface RunStatusText {
  tone: StatusTone;
  /** One line: what happened. */
  title: string;
  /** Why, and the headline numbers, each a sentence. */
  details: string[];
  /** Whether "Continue training" applies (the training store's resumeRun takes these). */
  resumable: boolean;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}
function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The newest event message that starts with `prefix` ('interrupted: …'), without the prefix. */
function lastEvent(records: readonly MetricsRecord[], prefix: string): string | null {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]! as Record<string, unknown>;
    const message = r.kind === 'event' ? str(r.message) : null;
    if (message?.startsWith(prefix)) return message.slice(prefix.length).trim();
  }
  return null;
}

export function describeRunStatus(m: RunManifest, records: readonly MetricsRecord[]): RunStatusText {
  const s = m.summary as Record<string, unknown>;
  const steps = num(s.steps) ?? num(s.step);
  const epochs = num(s.epochs) ?? num(s.epoch);
  const done = [epochs !== null ? `${epochs} epoch${epochs === 1 ? '' : 's'}` : null, steps !== null ? `${steps} steps` : null].filter(Boolean).join(', ');
  const stopReason = str(s.stopReason);
  const details: string[] = [];
  let tone: StatusTone;
  let title: string;
  switch (m.status) {
    case 'completed':
      tone = 'ok';
      title = stopReason ? `Completed early: ${stopReason}` : `Completed${done ? ` (${done})` : ''}`;
      if (stopReason && done) details.push(`Trained ${done}.`);
      break;
    case 'stopped':
      tone = 'warn';
      title = `Stopped before the end${done ? ` after ${done}` : ''}`;
      details.push(stopReason ? `Why: ${stopReason}.` : 'It was stopped by hand (Stop in the app, or Ctrl+C for convlab train).');
      break;
    case 'diverged':
      tone = 'error';
      title = 'Diverged';
      details.push(str(s.divergence) ?? 'The loss became NaN or infinite; try a lower learning rate.');
      break;
    case 'failed':
      tone = 'error';
      title = 'Failed';
      details.push(str(s.error) ?? 'The training ended with an error that the run did not record.');
      break;
    case 'interrupted': {
      tone = 'warn';
      title = `Interrupted${done ? ` after ${done}` : ''}`;
      const why = lastEvent(records, 'interrupted:');
      details.push(why ? `Why: ${why}.` : 'The program that trained it went away without finishing it (a crash, a closed window, a killed process).');
      break;
    }
    case 'running':
      tone = 'info';
      title = `Running${done ? ` (${done} so far)` : ''}`;
      if (m.heartbeatAt) details.push(`Last heartbeat ${new Date(m.heartbeatAt).toLocaleTimeString()}.`);
      break;
    default:
      tone = 'info';
      title = m.status;
  }
  const best = num(s.bestValAccuracy);
  if (best !== null) {
    const epoch = num(s.bestEpoch);
    details.push(`Best validation accuracy ${formatPercent(best)}${epoch !== null ? ` at epoch ${epoch}` : ''}${str(s.bestCheckpoint) ? ` (checkpoint ${s.bestCheckpoint})` : ''}.`);
  } else if (num(s.valAccuracy) !== null) {
    details.push(`Last validation accuracy ${formatPercent(num(s.valAccuracy))}.`);
  }
  return { tone, title, details, resumable: m.status === 'stopped' || m.status === 'interrupted' };
}
