// WebGPU in Node through the `webgpu` package (Dawn). Finds SwiftShader by itself on Linux
// machines without a GPU, and asks Dawn for unquantised timestamps (it rounds them to 64 µs
// by default, which hides every small kernel).

import { existsSync } from 'node:fs';
import { create, globals } from 'webgpu';
import { type AcquireOptions, acquireDevice } from '../engine/webgpu/device';
import { GpuContext } from '../engine/webgpu/context';

export const SWIFTSHADER_ICDS = [
  '/usr/lib/chromium/vk_swiftshader_icd.json',
  '/usr/lib/chromium-browser/vk_swiftshader_icd.json',
  '/opt/google/chrome/vk_swiftshader_icd.json',
];

const DAWN_FLAGS = ['disable-dawn-features=timestamp_quantization'];

let globalsInstalled = false;

function installGlobals(): void {
  if (globalsInstalled) return;
  Object.assign(globalThis, globals);
  globalsInstalled = true;
}

export interface NodeGpu {
  gpu: GPU;
  /** Set when Conv Lab chose SwiftShader itself because no other adapter answered. */
  usedSwiftShader: string | null;
}

/** A GPU object with an adapter behind it, or the first one tried when none has one. */
export async function createNodeGpu(env: NodeJS.ProcessEnv = process.env): Promise<NodeGpu> {
  installGlobals();
  const userChoseDriver = Boolean(env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES);
  const icd = process.platform === 'linux' && !userChoseDriver ? SWIFTSHADER_ICDS.find((p) => existsSync(p)) : undefined;
  // No GPU device node at all: skip straight to SwiftShader (asking the other installed
  // drivers first only fills the terminal with their complaints).
  if (icd && !GPU_DEVICE_NODES.some((p) => existsSync(p))) {
    process.env.VK_ICD_FILENAMES = icd;
    return { gpu: create(DAWN_FLAGS), usedSwiftShader: icd };
  }
  const gpu = create(DAWN_FLAGS);
  if (!icd || (await gpu.requestAdapter())) return { gpu, usedSwiftShader: null };
  // The Vulkan loader reads this when Dawn creates its next instance.
  process.env.VK_ICD_FILENAMES = icd;
  return { gpu: create(DAWN_FLAGS), usedSwiftShader: icd };
}

/** Device nodes of Linux GPU drivers (DRM, NVIDIA's own, WSL's /dev/dxg). */
const GPU_DEVICE_NODES = ['/dev/dri', '/dev/nvidia0', '/dev/dxg'];

export async function createNodeContext(options: AcquireOptions = {}): Promise<GpuContext> {
  const { gpu } = await createNodeGpu();
  const { device, adapter } = await acquireDevice(gpu, options);
  const ctx = new GpuContext(device, adapter, gpu);
  ctx.busyReadbackWait = true; // Dawn for Node re-arms setImmediate while any map is pending
  return ctx;
}
