// A small reader of the WGSL declarations a kernel spec must agree with: structs (with the
// uniform address space's layout rules), resource bindings, entry points and top-level
// definitions. Only what the kernels in kernels/ use; enough to check them without a GPU.

export interface StructField {
  name: string;
  type: string;
}

export interface Binding {
  binding: number;
  space: 'uniform' | 'storage';
  access: 'read' | 'read_write' | null;
  name: string;
  type: string;
}

/** One leaf of a uniform struct, nested structs expanded: `geo.kernelH`. */
export interface UniformLeaf {
  path: string;
  type: string;
  offset: number;
}

export const stripComments = (source: string): string => source.replace(/\/\/[^\n]*/g, '');

export function structs(source: string): Map<string, StructField[]> {
  const out = new Map<string, StructField[]>();
  for (const m of stripComments(source).matchAll(/struct\s+(\w+)\s*\{([^}]*)\}/g)) {
    const fields = m[2]!.split(',').map((f) => f.trim()).filter((f) => f !== '').map((f) => {
      const fm = /^(\w+)\s*:\s*([\w<>, ]+)$/.exec(f);
      if (!fm) throw new Error(`struct ${m[1]}: cannot read field "${f}"`);
      return { name: fm[1]!, type: fm[2]!.trim() };
    });
    if (out.has(m[1]!)) throw new Error(`struct ${m[1]} is declared twice`);
    out.set(m[1]!, fields);
  }
  return out;
}

export function bindings(source: string): Binding[] {
  const re = /@group\(0\)\s*@binding\((\d+)\)\s*var<(uniform|storage)(?:,\s*(read_write|read))?>\s*(\w+)\s*:\s*([^;]+);/g;
  return [...stripComments(source).matchAll(re)].map((m) => ({
    binding: Number(m[1]), space: m[2] as Binding['space'], access: (m[3] ?? null) as Binding['access'], name: m[4]!, type: m[5]!.trim(),
  }));
}

const SCALARS: Record<string, { size: number; align: number }> = {
  u32: { size: 4, align: 4 }, i32: { size: 4, align: 4 }, f32: { size: 4, align: 4 },
  vec2u: { size: 8, align: 8 }, vec2f: { size: 8, align: 8 }, vec4u: { size: 16, align: 16 }, vec4f: { size: 16, align: 16 },
};

const roundUp = (k: number, n: number): number => Math.ceil(n / k) * k;

/** The leaves of a struct in the uniform address space, with WGSL's offsets: a member of struct
 *  type is aligned to 16 and the member after it starts at a multiple of 16. */
export function uniformLayout(all: Map<string, StructField[]>, name: string): { leaves: UniformLeaf[]; size: number; align: number } {
  const fields = all.get(name);
  if (!fields) throw new Error(`no struct ${name}`);
  const leaves: UniformLeaf[] = [];
  let offset = 0;
  let align = 4;
  for (const f of fields) {
    const scalar = SCALARS[f.type];
    if (scalar) {
      offset = roundUp(scalar.align, offset);
      leaves.push({ path: f.name, type: f.type, offset });
      offset += scalar.size;
      align = Math.max(align, scalar.align);
      continue;
    }
    const inner = uniformLayout(all, f.type);
    const innerAlign = roundUp(16, inner.align);
    offset = roundUp(innerAlign, offset);
    for (const leaf of inner.leaves) leaves.push({ path: `${f.name}.${leaf.path}`, type: leaf.type, offset: offset + leaf.offset });
    offset = roundUp(16, offset + inner.size);
    align = Math.max(align, innerAlign);
  }
  return { leaves, size: roundUp(align, offset), align };
}

/** Names defined at module scope (fn, struct, override, const, var), with their text. */
export function definitions(source: string): Array<{ kind: string; name: string; text: string }> {
  const text = stripComments(source);
  const out: Array<{ kind: string; name: string; text: string }> = [];
  for (const m of text.matchAll(/^(fn|struct)\s+(\w+)[^{]*\{/gm)) {
    let depth = 1;
    let i = m.index + m[0].length;
    while (depth > 0 && i < text.length) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}') depth--;
      i++;
    }
    out.push({ kind: m[1]!, name: m[2]!, text: text.slice(m.index, i).replace(/\s+/g, ' ') });
  }
  for (const m of text.matchAll(/^(override|const)\s+(\w+)[^;]*;/gm)) out.push({ kind: m[1]!, name: m[2]!, text: m[0] });
  // Module-scope variables start a line (function-local ones are indented).
  for (const m of text.matchAll(/^(?:@group\(\d+\)\s*@binding\(\d+\)\s*)?var(?:<[^>]*>)?\s+(\w+)\s*:/gm)) out.push({ kind: 'var', name: m[1]!, text: m[0] });
  return out;
}

/** The @workgroup_size arguments of entry point `name`, as written. */
export function workgroupSizeOf(source: string, name: string): string[] | null {
  const m = new RegExp(`@workgroup_size\\(([^)]*)\\)\\s*fn\\s+${name}\\s*\\(`).exec(stripComments(source));
  return m ? m[1]!.split(',').map((s) => s.trim()) : null;
}
