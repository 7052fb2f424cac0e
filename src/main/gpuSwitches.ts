// Chromium switches Conv Lab needs for WebGPU. They must be appended before app 'ready':
// Chromium reads its command line once, when the GPU process is configured.

/** The slice of Electron's app.commandLine used here (tests pass a recorder). */
export interface CommandLineLike {
  appendSwitch(name: string, value?: string): void;
}

export interface GpuSwitch {
  name: string;
  value?: string;
  why: string;
}

/** The switches for a platform, with the reason for each (kept beside each switch so the reason travels with it). */
export function gpuSwitchesFor(platform: NodeJS.Platform): GpuSwitch[] {
  const switches: GpuSwitch[] = [
    {
      name: 'enable-unsafe-webgpu',
      why: 'On Linux, and on GPUs outside Chromium\'s allowlist, navigator.gpu.requestAdapter() returns null without it.',
    },
    {
      name: 'enable-webgpu-developer-features',
      why: 'Unrounded timestamp queries: by default they are quantized (Dawn was seen rounding to 65,536 ns), coarser than one small kernel (~10-20 µs).',
    },
    {
      name: 'disable-dawn-features',
      value: 'timestamp_quantization',
      why: 'Same precision goal at the Dawn level, for Chromium builds where the developer flag does not cover it.',
    },
  ];
  if (platform === 'linux') {
    switches.push({
      name: 'enable-features',
      value: 'Vulkan',
      why: 'Dawn on Linux needs the Vulkan backend; without it there is no WebGPU adapter.',
    });
  }
  return switches;
}

export function applyGpuSwitches(commandLine: CommandLineLike, platform: NodeJS.Platform): GpuSwitch[] {
  const switches = gpuSwitchesFor(platform);
  for (const s of switches) {
    if (s.value === undefined) commandLine.appendSwitch(s.name);
    else commandLine.appendSwitch(s.name, s.value);
  }
  return switches;
}
