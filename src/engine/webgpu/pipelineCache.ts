// Pipelines cached by kernel name + override constants (compiling WGSL is the slow part of
// the first step; after that every dispatch finds its pipeline here).

import { type KernelSpec, shaderSource } from './kernelSpec';

export type OverrideConstants = Record<string, number | boolean>;

interface CachedPipeline {
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
}

export class PipelineCache {
  private readonly pipelines = new Map<string, CachedPipeline>();
  /** Pipelines being compiled in the background (prepare()). */
  private readonly preparing = new Map<string, Promise<void>>();
  private readonly modules = new Map<string, GPUShaderModule>();
  private readonly layouts = new Map<string, GPUBindGroupLayout>();

  constructor(private readonly device: GPUDevice) {}

  static key(spec: KernelSpec, constants: OverrideConstants = {}): string {
    const parts = Object.keys(constants).sort().map((k) => `${k}=${String(constants[k])}`);
    return parts.length ? `${spec.name}(${parts.join(',')})` : spec.name;
  }

  get(spec: KernelSpec, constants: OverrideConstants = {}): CachedPipeline {
    const key = PipelineCache.key(spec, constants);
    let cached = this.pipelines.get(key);
    if (!cached) {
      const layout = this.layoutFor(spec);
      cached = { pipeline: this.device.createComputePipeline(this.descriptor(key, spec, constants, layout)), layout };
      this.pipelines.set(key, cached);
    }
    return cached;
  }

  /** Compile a pipeline off the calling thread (createComputePipelineAsync), so that get()
   *  later finds it: the step tuner's candidates are compiled while training goes on, where a
   *  synchronous compile (100–250 ms each on SwiftShader) would stall the step loop. */
  prepare(spec: KernelSpec, constants: OverrideConstants = {}): Promise<void> {
    const key = PipelineCache.key(spec, constants);
    if (this.pipelines.has(key)) return Promise.resolve();
    let pending = this.preparing.get(key);
    if (!pending) {
      const layout = this.layoutFor(spec);
      pending = this.device.createComputePipelineAsync(this.descriptor(key, spec, constants, layout)).then((pipeline) => {
        if (!this.pipelines.has(key)) this.pipelines.set(key, { pipeline, layout });
      }).finally(() => this.preparing.delete(key));
      this.preparing.set(key, pending);
    }
    return pending;
  }

  get size(): number {
    return this.pipelines.size;
  }

  private descriptor(key: string, spec: KernelSpec, constants: OverrideConstants, layout: GPUBindGroupLayout): GPUComputePipelineDescriptor {
    const wgslConstants: Record<string, number> = {};
    for (const [k, v] of Object.entries(constants)) wgslConstants[k] = typeof v === 'boolean' ? Number(v) : v;
    return {
      label: key,
      layout: this.device.createPipelineLayout({ label: `${spec.name}-pipeline-layout`, bindGroupLayouts: [layout] }),
      compute: { module: this.moduleFor(spec), entryPoint: spec.entryPoint ?? 'main', constants: wgslConstants },
    };
  }

  private moduleFor(spec: KernelSpec): GPUShaderModule {
    let module = this.modules.get(spec.name);
    if (!module) {
      module = this.device.createShaderModule({ label: `${spec.name}.wgsl`, code: shaderSource(spec) });
      this.modules.set(spec.name, module);
    }
    return module;
  }

  private layoutFor(spec: KernelSpec): GPUBindGroupLayout {
    let layout = this.layouts.get(spec.name);
    if (!layout) {
      const visibility = 0x4; // GPUShaderStage.COMPUTE, spelled out for Node where the global may be absent
      layout = this.device.createBindGroupLayout({
        label: `${spec.name}-bind-group-layout`,
        entries: [
          { binding: 0, visibility, buffer: { type: 'uniform' } },
          ...spec.storage.map((s, i) => ({
            binding: i + 1,
            visibility,
            buffer: { type: s.access === 'read' ? ('read-only-storage' as const) : ('storage' as const) },
          })),
        ],
      });
      this.layouts.set(spec.name, layout);
    }
    return layout;
  }
}
