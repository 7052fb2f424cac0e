import { describe, expect, it } from 'vitest';
import { applyGpuSwitches } from '../../src/main/gpuSwitches';

function recordSwitches(platform: NodeJS.Platform): string[] {
  const seen: string[] = [];
  applyGpuSwitches({ appendSwitch: (name, value) => seen.push(value === undefined ? name : `${name}=${value}`) }, platform);
  return seen;
}

describe('applyGpuSwitches', () => {
  it('enables WebGPU, Vulkan and precise timestamps on Linux', () => {
    expect(recordSwitches('linux')).toEqual([
      'enable-unsafe-webgpu',
      'enable-webgpu-developer-features',
      'disable-dawn-features=timestamp_quantization',
      'enable-features=Vulkan',
    ]);
  });

  it('leaves the Vulkan feature to Linux only', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const seen = recordSwitches(platform);
      expect(seen).toContain('enable-unsafe-webgpu');
      expect(seen).toContain('disable-dawn-features=timestamp_quantization');
      expect(seen.some((s) => s.startsWith('enable-features'))).toBe(false);
    }
  });
});
