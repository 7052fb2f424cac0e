// Adapter and device acquisition, in one place for the app (navigator.gpu) and Node (Dawn).
//
// The caller passes the GPU object, so this file imports nothing platform-specific: the
// renderer passes navigator.gpu, the CLI and tests pass the `webgpu` package's instance.

import { AdapterTooLimitedError, NoAdapterError } from './errors';

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
  /** SwiftShader, llvmpipe, WARP and other CPU implementations: correct but slow. */
  isSoftware: boolean;
  timestamps: boolean;
}

export interface AcquiredDevice {
  device: GPUDevice;
  adapter: AdapterSummary;
}

export interface AcquireOptions {
  powerPreference?: GPUPowerPreference;
  /** Set false to skip timestamp-query even where the adapter has it. */
  timestamps?: boolean;
}

// What the kernels need at minimum; the WebGPU defaults already satisfy these, so an adapter
// below them is unusual (some compatibility-mode devices).
const REQUIRED_LIMITS: Array<[keyof GPUSupportedLimits, number]> = [
  ['maxStorageBuffersPerShaderStage', 8], // BatchNorm backward binds 7 storage buffers
  ['maxComputeInvocationsPerWorkgroup', 256],
  ['maxComputeWorkgroupSizeX', 256],
  ['maxComputeWorkgroupsPerDimension', 65535],
];

// Buffers as large as the adapter allows: a batch of activations can exceed the 128 MiB default.
const WANTED_LIMITS: Array<keyof GPUSupportedLimits> = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxStorageBuffersPerShaderStage',
];

const SOFTWARE_NAMES = /swiftshader|llvmpipe|lavapipe|softpipe|warp|microsoft basic render|software/i;

export function summariseAdapter(adapter: GPUAdapter): AdapterSummary {
  const info = adapter.info;
  const text = `${info.vendor} ${info.architecture} ${info.description}`;
  const fallback = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return {
    vendor: info.vendor || 'unknown',
    architecture: info.architecture || '',
    description: info.description || '',
    isSoftware: fallback || SOFTWARE_NAMES.test(text),
    timestamps: adapter.features.has('timestamp-query'),
  };
}

export async function requestAdapter(gpu: GPU | undefined, options: AcquireOptions = {}): Promise<GPUAdapter> {
  if (!gpu) throw new NoAdapterError('this runtime has no navigator.gpu');
  const adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
  if (!adapter) throw new NoAdapterError('requestAdapter() returned null');
  return adapter;
}

export async function acquireDevice(gpu: GPU | undefined, options: AcquireOptions = {}): Promise<AcquiredDevice> {
  const adapter = await requestAdapter(gpu, options);
  const summary = summariseAdapter(adapter);
  for (const [name, min] of REQUIRED_LIMITS) {
    const have = adapter.limits[name] as number;
    if (have < min) {
      throw new AdapterTooLimitedError(
        `The WebGPU adapter "${summary.description || summary.vendor}" is too limited: ${name} is ${have}, Conv Lab needs ${min}. ` +
          'Use another GPU, update the driver, or run with --backend cpu.',
      );
    }
  }
  const requiredLimits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) requiredLimits[name] = adapter.limits[name] as number;
  const wantTimestamps = (options.timestamps ?? true) && summary.timestamps;
  const device = await adapter.requestDevice({
    label: 'convlab-device',
    requiredFeatures: wantTimestamps ? ['timestamp-query'] : [],
    requiredLimits,
  });
  return { device, adapter: { ...summary, timestamps: wantTimestamps } };
}
