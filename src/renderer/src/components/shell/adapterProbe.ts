// What WebGPU adapter this window gets, for the header badge and the host (the desktop app's
// About box shows it: lab.app.reportAdapter). The training worker requests its own device; this
// probe only asks for an adapter (no device), which is cheap and side-effect free.

import type { AdapterReport } from '../../../../shared/labApi';

export type AdapterState =
  | { kind: 'checking' }
  | { kind: 'no-webgpu' }
  | { kind: 'no-adapter' }
  | { kind: 'error'; message: string }
  | { kind: 'ok'; vendor: string; architecture: string; description: string; software: boolean; timestamps: boolean };

/** SwiftShader reports vendor "google" / architecture "swiftshader"; other CPU adapters set isFallbackAdapter. */
export function isSoftwareAdapter(info: Pick<GPUAdapterInfo, 'vendor' | 'architecture' | 'description'> & { isFallbackAdapter?: boolean }): boolean {
  const text = `${info.vendor} ${info.architecture} ${info.description}`.toLowerCase();
  return info.isFallbackAdapter === true || text.includes('swiftshader') || text.includes('llvmpipe') || text.includes('lavapipe');
}

export async function probeAdapter(): Promise<AdapterState> {
  if (typeof navigator === 'undefined' || !('gpu' in navigator) || !navigator.gpu) return { kind: 'no-webgpu' };
  try {
    const found = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!found) return { kind: 'no-adapter' };
    const info = found.info;
    return {
      kind: 'ok',
      vendor: info.vendor || '(vendor not reported)',
      architecture: info.architecture || '',
      description: info.description || '',
      software: isSoftwareAdapter(info),
      // Without timestamp queries the per-kernel GPU times cannot be measured.
      timestamps: found.features.has('timestamp-query'),
    };
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}

/** One line for the header, e.g. "nvidia · ampere". */
export function adapterSummary(state: AdapterState): string {
  switch (state.kind) {
    case 'checking':
      return 'Looking for a WebGPU adapter…';
    case 'no-webgpu':
      return 'No WebGPU in this window';
    case 'no-adapter':
      return 'No WebGPU adapter';
    case 'error':
      return 'WebGPU adapter request failed';
    case 'ok':
      return [state.vendor, state.architecture].filter((s) => s !== '').join(' · ');
  }
}

/** What the host is told: the adapter, null when this window has none, undefined while checking. */
export function adapterReportOf(state: AdapterState): AdapterReport | null | undefined {
  switch (state.kind) {
    case 'checking':
      return undefined;
    case 'ok':
      // The schema caps the strings; adapters report short ones, but a driver could say more.
      return {
        vendor: state.vendor.slice(0, 200),
        architecture: state.architecture.slice(0, 200),
        description: state.description.slice(0, 500),
        isSoftware: state.software,
        timestamps: state.timestamps,
      };
    default:
      return null;
  }
}
