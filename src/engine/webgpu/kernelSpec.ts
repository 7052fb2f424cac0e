// A kernel spec keeps in one place everything needed to run one WGSL file: its source,
// bindings, the layout of its uniform struct and its workgroup size. The dispatch geometry
// is computed by the op that uses it (see ops/*.ts).

import { type WgslPart, composeWgsl } from './wgslShared';

export type UniformType = 'u32' | 'i32' | 'f32';

export interface KernelSpec {
  name: string;
  /** The kernel's own .wgsl file (a `?raw` import). */
  source: string;
  /** Shared pieces (kernels/common/*.wgsl) put in front of source when the pipeline is built. */
  shared?: readonly WgslPart[];
  entryPoint?: string;
  /** Storage bindings after binding 0 (the uniform struct), in binding order. */
  storage: ReadonlyArray<{ name: string; access: 'read' | 'read_write' }>;
  /** Fields of the uniform struct at binding 0, in declaration order (each 4 bytes). */
  uniforms: ReadonlyArray<readonly [string, UniformType]>;
  workgroupSize: readonly [number, number, number];
}

/** The WGSL text the shader module is compiled from: the shared pieces, then the kernel. */
export function shaderSource(spec: KernelSpec): string {
  return composeWgsl(spec.name, spec.source, spec.shared ?? []);
}

/** Pack uniform values into the struct layout (4-byte fields, padded to 16 bytes). */
export function packUniforms(spec: KernelSpec, values: Record<string, number>): ArrayBuffer {
  const bytes = Math.max(16, Math.ceil((spec.uniforms.length * 4) / 16) * 16);
  const buffer = new ArrayBuffer(bytes);
  const view = new DataView(buffer);
  spec.uniforms.forEach(([name, type], i) => {
    const v = values[name];
    if (v === undefined) throw new Error(`kernel ${spec.name}: uniform "${name}" was not given`);
    if (type === 'f32') view.setFloat32(i * 4, v, true);
    else if (type === 'i32') view.setInt32(i * 4, v, true);
    else {
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`kernel ${spec.name}: uniform "${name}" = ${v} is not a u32`);
      view.setUint32(i * 4, v, true);
    }
  });
  return buffer;
}

/** Grid for kernels that use one invocation per element with a linear index
 *  gid.x + gid.y · rowPitch, staying under the 65535-workgroups-per-dimension limit. */
export function linearGrid(total: number, workgroupSize: number, maxPerDim = 65535): { workgroups: [number, number, number]; rowPitch: number } {
  const groups = Math.max(1, Math.ceil(total / workgroupSize));
  const x = Math.min(groups, maxPerDim);
  const y = Math.ceil(groups / x);
  if (y > maxPerDim) throw new Error(`${total} elements exceed the dispatch limit`);
  return { workgroups: [x, y, 1], rowPitch: x * workgroupSize };
}
