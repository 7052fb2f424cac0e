// The canonical JSON text of a model: what runs store and what run comparison diffs.
//
// Canonical means: every default filled in, pairs as arrays, keys in the order of spec.ts, one
// layer per line. Layers are rebuilt through layers.ts first, so a hand-made object with keys in
// another order or a default left out still serialises to the same bytes as its parsed twin.

import { buildModel } from './layers';
import type { ModelSpec } from './spec';

export function canonicalJson(spec: ModelSpec): string {
  const canonical = buildModel(spec.input, spec.layers);
  const layers = canonical.layers.map((layer) => `    ${JSON.stringify(layer)}`).join(',\n');
  return [
    '{',
    `  "format": ${JSON.stringify(canonical.format)},`,
    `  "input": ${JSON.stringify(canonical.input)},`,
    '  "layers": [',
    layers,
    '  ]',
    '}',
    '',
  ].join('\n');
}

/** Equal models, however they were written. */
export function sameModel(a: ModelSpec, b: ModelSpec): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
