// Legend names for what a training step measures per parameter or per layer. Metrics and
// checkpoints name parameters by PyTorch's state_dict keys ('3.weight', '4.body.0.bias'), which
// say where a tensor sits but not what it is; a legend reads better as the layer's type and its
// index: 'conv2d #3 weight'. A nested layer keeps its whole path after the '#' so the name still
// points at one tensor: '4.body.0.weight' of a residual block is 'conv2d #4.body.0 weight'.
//
// The type comes from the model spec the run was trained with (walking residual bodies and
// shortcuts as the state_dict does); a key the spec does not explain is shown as it is.

import type { LayerSpec, ModelSpec } from '../../../../engine/model/spec';

/** The layer at a state_dict path ('3', '4.body.0'), or null. */
export function layerAt(spec: Pick<ModelSpec, 'layers'> | null | undefined, path: string): LayerSpec | null {
  if (!spec || path === '') return null;
  const parts = path.split('.');
  let list: readonly LayerSpec[] | null = spec.layers;
  let layer: LayerSpec | null = null;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (layer !== null) {
      // Inside a residual block the next part says which branch, then an index into it.
      if (layer.type !== 'residual' || (part !== 'body' && part !== 'shortcut')) return null;
      list = part === 'body' ? layer.body : layer.shortcut;
      if (!list) return null;
      i++;
      if (i >= parts.length) return null;
    }
    const index = Number(parts[i]);
    if (!list || !Number.isInteger(index) || index < 0 || index >= list.length) return null;
    layer = list[index]!;
  }
  return layer;
}

/** '0.weight' → 'conv2d #0 weight'; '4.body.1.running_mean' → 'batch_norm2d #4.body.1 running_mean'. */
export function paramLegendName(key: string, spec: Pick<ModelSpec, 'layers'> | null | undefined): string {
  const dot = key.lastIndexOf('.');
  if (dot <= 0) return key;
  const path = key.slice(0, dot);
  const param = key.slice(dot + 1);
  const layer = layerAt(spec, path);
  return layer ? `${layer.type} #${path} ${param}` : key;
}

/** Kernel-timing layer names ('3.conv2d', '4.body.0.conv2d', 'data') → 'conv2d #3', 'conv2d #4.body.0', 'data';
 *  layers whose kernels are fused keep their '+': '1.relu+2.max_pool2d' → 'relu #1+max_pool2d #2'. */
export function layerLegendName(name: string): string {
  return name
    .split('+')
    .map((part) => {
      const match = /^(\d+(?:\.(?:body|shortcut)\.\d+)*)\.([a-z_0-9]+)$/.exec(part);
      return match ? `${match[2]} #${match[1]}` : part;
    })
    .join('+');
}
