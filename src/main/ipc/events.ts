// Typed pushes from main to the renderer (the other half of `lab.events.on`).

import { labEventChannel, type LabEventChannel, type LabEvents } from '../../shared/labApi';

export interface EventTargetLike {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** Sends one event to every live window; a window closing mid-send is skipped, not an error. */
export function sendLabEvent<C extends LabEventChannel>(
  targets: readonly EventTargetLike[],
  channel: C,
  payload: LabEvents[C],
): void {
  for (const target of targets) {
    if (!target.isDestroyed()) target.send(labEventChannel(channel), payload);
  }
}
