// Naming a module of an inspected model: PyTorch's nn.Sequential index for a top-level module
// ('3', written as the number 3 in JSON), and the state_dict path for one inside a residual block
// ('4.body.0', '4.shortcut.1'), exactly as its parameters are named in a checkpoint.

import type { InspectedModule, Inspection } from './types';

const PATH = /^\d+(\.(body|shortcut)\.\d+)*$/;

export function isModulePath(text: string): boolean {
  return PATH.test(text);
}

/** The JSON form of a path: a number for a top-level module, the string otherwise. */
export function pathValue(path: string): number | string {
  return /^\d+$/.test(path) ? Number(path) : path;
}

/** The module at `path`; throws naming the modules the model has. */
export function findModule(inspection: Inspection, path: string): InspectedModule {
  const found = inspection.modules.find((m) => m.path === path);
  if (found) return found;
  const top = inspection.modules.filter((m) => /^\d+$/.test(m.path)).map((m) => Number(m.path));
  const nested = inspection.modules.filter((m) => !/^\d+$/.test(m.path)).map((m) => m.path);
  const range = top.length ? `0 to ${Math.max(...top)}` : 'none';
  const inside = nested.length ? `, and inside blocks ${nested.slice(0, 4).join(', ')}${nested.length > 4 ? ', …' : ''}` : '';
  throw new Error(`layer ${path} is out of range: the model's modules are ${range}${inside}`);
}
