// Every kernel spec against its WGSL, without a GPU: the uniform layout packUniforms writes
// must be the struct the shader reads (names, types and byte offsets), the storage bindings
// must be the ones declared (count, order, access), literal workgroup sizes must agree, and the
// shared pieces a spec prepends must be the ones the kernel's header names. It also checks that
// no WGSL definition is written twice: shared code lives once, in kernels/common/.

import { describe, expect, it } from 'vitest';
import { type KernelSpec, shaderSource } from '../../../src/engine/webgpu/kernelSpec';
import { bindings, definitions, stripComments, structs, uniformLayout, workgroupSizeOf } from './wgslDeclarations';

const modules = import.meta.glob<Record<string, unknown>>('../../../src/engine/webgpu/**/*.ts', { eager: true });
const kernelFiles = import.meta.glob<string>('../../../kernels/*.wgsl', { eager: true, query: '?raw', import: 'default' });
const commonFiles = import.meta.glob<string>('../../../kernels/common/*.wgsl', { eager: true, query: '?raw', import: 'default' });

const isSpec = (v: unknown): v is KernelSpec =>
  typeof v === 'object' && v !== null && typeof (v as KernelSpec).source === 'string' && Array.isArray((v as KernelSpec).uniforms) && Array.isArray((v as KernelSpec).storage);

const specs = new Map<string, KernelSpec>();
for (const mod of Object.values(modules)) {
  for (const v of Object.values(mod)) if (isSpec(v)) specs.set(v.name, v);
}
const all = [...specs.values()].sort((a, b) => a.name.localeCompare(b.name));

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const fileOf = (spec: KernelSpec): string => {
  const hit = Object.entries(kernelFiles).find(([, text]) => text === spec.source);
  if (!hit) throw new Error(`kernel ${spec.name}: its source is not one of kernels/*.wgsl`);
  return baseName(hit[0]);
};

describe('kernel specs and their WGSL', () => {
  it('finds the specs of every kernel file, and every shared piece in use', () => {
    const used = new Set(all.map(fileOf));
    expect([...Object.keys(kernelFiles).map(baseName)].filter((f) => !used.has(f))).toEqual([]);
    expect(used.size).toBeGreaterThanOrEqual(31);
    const shared = new Set(all.flatMap((s) => (s.shared ?? []).map((p) => p.file)));
    expect(Object.keys(commonFiles).map((f) => `common/${baseName(f)}`).filter((f) => !shared.has(f))).toEqual([]);
  });

  it.each(all.map((s) => [s.name, s] as const))('%s: uniforms match the struct at binding 0', (_, spec) => {
    const source = shaderSource(spec);
    const uniform = bindings(source).filter((b) => b.space === 'uniform');
    expect(uniform.map((b) => b.binding)).toEqual([0]);
    const layout = uniformLayout(structs(source), uniform[0]!.type);
    // packUniforms writes field i at byte 4·i; the shader reads each leaf at its WGSL offset.
    const leafName = (path: string) => path.slice(path.lastIndexOf('.') + 1);
    expect(layout.leaves.map((l) => [leafName(l.path), l.type, l.offset])).toEqual(spec.uniforms.map(([n, t], i) => [n, t, 4 * i]));
    expect(layout.size).toBeLessThanOrEqual(Math.max(16, Math.ceil((spec.uniforms.length * 4) / 16) * 16));
  });

  it.each(all.map((s) => [s.name, s] as const))('%s: storage bindings, entry point and workgroup size', (_, spec) => {
    const source = shaderSource(spec);
    // One binding may be declared twice, as two views for two entry points (bias_grad: f32 and vec4f).
    const storage = new Map(bindings(source).filter((b) => b.space === 'storage').map((b) => [b.binding, b.access]));
    for (const b of bindings(source)) if (b.space === 'storage') expect(storage.get(b.binding), `binding ${b.binding} ${b.name}`).toBe(b.access);
    expect([...storage].sort((x, y) => x[0] - y[0])).toEqual(spec.storage.map((s, i) => [i + 1, s.access]));
    const size = workgroupSizeOf(source, spec.entryPoint ?? 'main');
    expect(size, `entry point ${spec.entryPoint ?? 'main'}`).not.toBeNull();
    // Literal sizes must equal the spec's; an override-sized one is set by the op's constants.
    size!.forEach((arg, i) => {
      if (/^\d+u?$/.test(arg)) expect(Number.parseInt(arg, 10), `workgroup_size[${i}]`).toBe(spec.workgroupSize[i]);
      else expect(source).toMatch(new RegExp(`override\\s+${arg}\\s*:`));
    });
  });

  it.each(all.map((s) => [s.name, s] as const))('%s: the header names the shared pieces it is composed with', (_, spec) => {
    const header = /^\/\/ Prepended when loaded: (.*)\.$/m.exec(spec.source);
    const named = header ? [...header[1]!.matchAll(/common\/\w+\.wgsl/g)].map((m) => m[0]) : [];
    expect(named).toEqual((spec.shared ?? []).map((p) => p.file));
    const names = definitions(shaderSource(spec)).map((d) => d.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i), 'defined twice once composed').toEqual([]);
  });

  it('writes no WGSL definition twice across kernel files (shared code lives in kernels/common)', () => {
    const byText = new Map<string, string[]>();
    for (const [path, text] of Object.entries({ ...kernelFiles, ...commonFiles })) {
      for (const d of definitions(text).filter((x) => x.kind === 'fn' || x.kind === 'struct')) {
        byText.set(d.text, [...(byText.get(d.text) ?? []), `${baseName(path)}:${d.name}`]);
      }
    }
    expect([...byText.values()].filter((where) => where.length > 1)).toEqual([]);
  });

  it('reads nested uniform structs with WGSL offsets (the reader itself)', () => {
    const s = structs('struct G { a: u32, b: u32 }\nstruct P { g: G, c: f32 }\nstruct Q { x: u32, v: vec4f }');
    expect(uniformLayout(s, 'P').leaves.map((l) => [l.path, l.offset])).toEqual([['g.a', 0], ['g.b', 4], ['c', 16]]);
    expect(uniformLayout(s, 'Q').leaves.map((l) => l.offset)).toEqual([0, 16]);
    expect(stripComments('a // b\nc')).toBe('a \nc');
  });
});
