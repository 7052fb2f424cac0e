// The worker's GPU: one device per job (a training run, a self-test, the worked example),
// destroyed when the job ends, so a finished run's dataset and activations never linger on the
// GPU and a lost device only ever costs the job it happened in.
//
// Device loss and uncaptured WebGPU errors are caught by GpuContext and rethrown at the next
// submit or read; a loss can also surface first as a rejected mapAsync with a vaguer message, so
// describeJobError() waits briefly for device.lost to say what really happened.

import { acquireDevice } from '../../../engine/webgpu/device';
import { GpuContext } from '../../../engine/webgpu/context';
import { DeviceLostError } from '../../../engine/webgpu/errors';
import type { WorkerErrorKind } from './protocol';

export async function openGpuContext(): Promise<GpuContext> {
  const gpu = typeof navigator !== 'undefined' ? navigator.gpu : undefined;
  const { device, adapter } = await acquireDevice(gpu);
  return new GpuContext(device, adapter);
}

/** Calls onLost once if the device goes away for any reason but our own dispose(). */
export function watchDeviceLoss(ctx: GpuContext, onLost: (error: DeviceLostError) => void): void {
  void ctx.device.lost.then((info) => {
    if (info.reason !== 'destroyed') onLost(new DeviceLostError(String(info.reason), info.message));
  });
}

export function errorKind(error: unknown): WorkerErrorKind {
  const name = error instanceof Error ? error.name : '';
  switch (name) {
    case 'NoAdapterError':
    case 'AdapterTooLimitedError':
      return 'no-webgpu';
    case 'DeviceLostError':
      return 'device-lost';
    case 'GpuOutOfMemoryError':
      return 'out-of-memory';
    case 'GpuValidationError':
      return 'gpu-error';
    case 'ProtocolError':
      return 'invalid-message';
    default:
      return 'training';
  }
}

/** The error a job failed with, preferring a device loss that happened meanwhile. */
export async function describeJobError(error: unknown, ctx: GpuContext | null): Promise<{ kind: WorkerErrorKind; message: string }> {
  if (ctx && !(error instanceof DeviceLostError)) {
    const lost = await Promise.race([
      ctx.device.lost.then((info) => (info.reason === 'destroyed' ? null : new DeviceLostError(String(info.reason), info.message))),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 100)),
    ]);
    if (lost) return { kind: 'device-lost', message: lost.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: errorKind(error), message };
}
