// ONNX export of a Sequential (residual blocks as an Add of their branches): the model spec becomes an ONNX graph (opset 13) and the
// state_dict its initializers, weights as raw little-endian float32. Pure (no Node imports), so it could move anywhere:
// protobufjs encodes from a schema declared here with ONNX's field numbers (onnx/onnx.proto3).

import protobuf from 'protobufjs';
import type { LayerSpec, ModelSpec } from '../../../engine/model/spec';

const ONNX_SCHEMA = `
syntax = "proto3";
package onnx;
message AttributeProto {
  string name = 1; float f = 2; int64 i = 3; bytes s = 4;
  repeated float floats = 7; repeated int64 ints = 8; int32 type = 20;
}
message ValueInfoProto { string name = 1; TypeProto type = 2; }
message NodeProto {
  repeated string input = 1; repeated string output = 2; string name = 3; string op_type = 4;
  repeated AttributeProto attribute = 5;
}
message TensorProto { repeated int64 dims = 1; int32 data_type = 2; string name = 8; bytes raw_data = 9; }
message TensorShapeProto {
  message Dimension { int64 dim_value = 1; string dim_param = 2; }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; }
  Tensor tensor_type = 1;
}
message GraphProto {
  repeated NodeProto node = 1; string name = 2; repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12;
}
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
message StringStringEntryProto { string key = 1; string value = 2; }
message ModelProto {
  int64 ir_version = 1; string producer_name = 2; string producer_version = 3;
  GraphProto graph = 7; repeated OperatorSetIdProto opset_import = 8;
  repeated StringStringEntryProto metadata_props = 14;
}
`;

const FLOAT = 1; // TensorProto.DataType.FLOAT
const INT64 = 7; // TensorProto.DataType.INT64 (Pad's pads, Slice's indices)
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;
const OPSET = 13;
const IR_VERSION = 7; // the IR version that goes with opset 13

export interface OnnxWeight {
  name: string;
  shape: number[];
  data: Float32Array;
}

type Attr = { name: string; type: number; i?: number; f?: number; s?: Uint8Array; ints?: number[] };
const ints = (name: string, v: number[]): Attr => ({ name, type: ATTR.INTS, ints: v });
const int = (name: string, v: number): Attr => ({ name, type: ATTR.INT, i: v });
const float = (name: string, v: number): Attr => ({ name, type: ATTR.FLOAT, f: v });
const str = (name: string, v: string): Attr => ({ name, type: ATTR.STRING, s: new TextEncoder().encode(v) });

let modelType: protobuf.Type | null = null;

/** Encode `spec` with `weights` (PyTorch state_dict names) as an ONNX ModelProto. Input
 *  "input" is (batch, C, H, W) with a symbolic batch; output "logits"; `metadata` becomes the
 *  model's metadata_props (Conv Lab writes its preprocessing there). */
export function exportOnnx(spec: ModelSpec, weights: readonly OnnxWeight[], producerVersion: string, metadata: Record<string, string> = {}): Uint8Array {
  modelType ??= protobuf.parse(ONNX_SCHEMA, { keepCase: true }).root.lookupType('onnx.ModelProto');
  const graph = new GraphBuilder(new Map(weights.map((w) => [w.name, w])));
  const last = graph.layers(spec.layers, 'input', '');
  graph.node('output', 'Identity', [last], [], 'logits');

  const tensorType = (dims: Array<number | string>) => ({
    tensor_type: { elem_type: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dim_param: d } : { dim_value: d })) } },
  });
  const model = {
    ir_version: IR_VERSION,
    producer_name: 'Conv Lab',
    producer_version: producerVersion,
    opset_import: [{ domain: '', version: OPSET }],
    // What onnx.load(path).metadata_props lists; Conv Lab writes its preprocessing there.
    metadata_props: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: 'convlab_sequential',
      node: graph.nodes,
      initializer: graph.initializer,
      input: [{ name: 'input', type: tensorType(['batch', ...spec.input]) }],
      output: [{ name: 'logits', type: tensorType(['batch', 'classes']) }],
    },
  };
  return modelType.encode(modelType.fromObject(model)).finish();
}

/** Nodes and initializers of the graph, one layer at a time. Tensor names follow the state_dict
 *  (`3.weight`); node outputs are `<layer>.<type>.out`, helper values `<layer>.<type>.<what>`. */
class GraphBuilder {
  readonly nodes: object[] = [];
  readonly initializer: object[] = [];

  constructor(private readonly byName: Map<string, OnnxWeight>) {}

  /** A checkpoint tensor as an initializer. */
  use(name: string): string {
    const w = this.byName.get(name);
    if (!w) throw new Error(`ONNX export: the checkpoint has no tensor "${name}"`);
    const bytes = new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength);
    this.initializer.push({ name, dims: w.shape, data_type: FLOAT, raw_data: littleEndian(bytes) });
    return name;
  }

  shapeOf(name: string): number[] | undefined {
    return this.byName.get(name)?.shape;
  }

  constant(name: string, dims: number[], values: Float32Array | BigInt64Array): string {
    const type = values instanceof Float32Array ? FLOAT : INT64;
    this.initializer.push({ name, dims, data_type: type, raw_data: littleEndian(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)) });
    return name;
  }

  node(name: string, op: string, inputs: string[], attribute: Attr[] = [], output = `${name}.out`): string {
    this.nodes.push({ name, op_type: op, input: inputs, output: [output], attribute });
    return output;
  }

  /** The layers of a Sequential from `input` on; `prefix` is the state_dict path of the
   *  Sequential ('' for the model, '4.body.' inside a residual block). Returns the last output. */
  layers(layers: readonly LayerSpec[], input: string, prefix: string): string {
    let current = input;
    layers.forEach((layer, i) => {
      current = this.layer(layer, current, `${prefix}${i}`);
    });
    return current;
  }

  private layer(layer: LayerSpec, x: string, path: string): string {
    const name = `${path}.${layer.type}`;
    const op = (type: string, inputs: string[], attribute: Attr[] = []): string => this.node(name, type, inputs, attribute);
    switch (layer.type) {
      case 'conv2d': {
        const shape = this.shapeOf(`${path}.weight`);
        const [kh, kw] = [shape?.[2] ?? layer.kernel_size[0], shape?.[3] ?? layer.kernel_size[1]];
        let pads = convPads(layer.padding, [kh, kw], layer.dilation);
        let input = x;
        // reflect / replicate / circular: pad with the mode first, then a conv without padding (as PyTorch).
        if (layer.padding_mode) {
          input = this.pad(x, layer.padding_mode, pads, name);
          pads = [0, 0, 0, 0];
        }
        return op('Conv', [input, this.use(`${path}.weight`), ...(layer.bias ? [this.use(`${path}.bias`)] : [])], [
          ints('kernel_shape', [kh, kw]), ints('strides', layer.stride), ints('pads', pads),
          ints('dilations', layer.dilation), int('group', layer.groups),
        ]);
      }
      case 'linear':
        return op('Gemm', [x, this.use(`${path}.weight`), ...(layer.bias ? [this.use(`${path}.bias`)] : [])], [int('transB', 1)]);
      case 'relu':
        return op('Relu', [x]);
      case 'leaky_relu':
        return op('LeakyRelu', [x], [float('alpha', layer.negative_slope)]);
      case 'sigmoid':
        return op('Sigmoid', [x]);
      case 'tanh':
        return op('Tanh', [x]);
      case 'silu': {
        const s = this.node(`${name}.sigmoid`, 'Sigmoid', [x]);
        return op('Mul', [x, s]);
      }
      case 'gelu': {
        // Opset 13 has no Gelu: 0.5·x·(1 + erf(x/√2)), exactly nn.GELU()'s definition.
        const scaled = this.node(`${name}.scaled`, 'Mul', [x, this.constant(`${name}.inv_sqrt2`, [], Float32Array.of(Math.SQRT1_2))]);
        const erf = this.node(`${name}.erf`, 'Erf', [scaled]);
        const onePlus = this.node(`${name}.one_plus`, 'Add', [erf, this.constant(`${name}.one`, [], Float32Array.of(1))]);
        const half = this.node(`${name}.half_x`, 'Mul', [x, this.constant(`${name}.half`, [], Float32Array.of(0.5))]);
        return op('Mul', [half, onePlus]);
      }
      case 'max_pool2d':
        return op('MaxPool', [x], [
          ints('kernel_shape', layer.kernel_size), ints('strides', layer.stride),
          ints('pads', [...layer.padding, ...layer.padding]), ints('dilations', layer.dilation), int('ceil_mode', layer.ceil_mode ? 1 : 0),
        ]);
      case 'avg_pool2d':
        return op('AveragePool', [x], [
          ints('kernel_shape', layer.kernel_size), ints('strides', layer.stride), ints('pads', [...layer.padding, ...layer.padding]),
          int('ceil_mode', layer.ceil_mode ? 1 : 0), int('count_include_pad', layer.count_include_pad ? 1 : 0),
        ]);
      case 'adaptive_avg_pool2d':
        return op('GlobalAveragePool', [x]); // output_size 1: (N, C, 1, 1), as PyTorch
      case 'flatten':
        return op('Flatten', [x], [int('axis', 1)]);
      case 'dropout':
        return op('Identity', [x]); // inference: dropout is the identity
      case 'batch_norm2d': {
        const c = this.shapeOf(`${path}.running_mean`)?.[0] ?? 0;
        const scale = layer.affine ? this.use(`${path}.weight`) : this.constant(`${path}.weight`, [c], new Float32Array(c).fill(1));
        const bias = layer.affine ? this.use(`${path}.bias`) : this.constant(`${path}.bias`, [c], new Float32Array(c));
        return op('BatchNormalization', [x, scale, bias, this.use(`${path}.running_mean`), this.use(`${path}.running_var`)], [
          float('epsilon', layer.eps), float('momentum', 1 - layer.momentum),
        ]);
      }
      case 'residual': {
        // Residual(body, shortcut): body(x) + (x or shortcut(x)), the state_dict paths of PyTorch's module.
        const body = this.layers(layer.body, x, `${path}.body.`);
        const shortcut = layer.shortcut ? this.layers(layer.shortcut, x, `${path}.shortcut.`) : x;
        return op('Add', [body, shortcut]);
      }
    }
  }

  /** F.pad with a mode on an NCHW tensor. reflect and replicate are Pad's 'reflect' and 'edge';
   *  circular (Pad's 'wrap' needs opset 19) is the last `left` columns, x, the first `right`
   *  columns (Slice + Concat), then the same for rows. */
  private pad(x: string, mode: 'reflect' | 'replicate' | 'circular', [top, left, bottom, right]: [number, number, number, number], name: string): string {
    if (mode !== 'circular') {
      const pads = this.constant(`${name}.pads`, [8], BigInt64Array.from([0, 0, top, left, 0, 0, bottom, right].map(BigInt)));
      return this.node(`${name}.pad`, 'Pad', [x, pads], [str('mode', mode === 'reflect' ? 'reflect' : 'edge')]);
    }
    const wrap = (input: string, axis: number, before: number, after: number, tag: string): string => {
      if (before === 0 && after === 0) return input;
      const slice = (start: number, end: number, what: string): string => {
        const t = (v: number, w: string) => this.constant(`${name}.${tag}.${what}.${w}`, [1], BigInt64Array.of(BigInt(v)));
        return this.node(`${name}.${tag}.${what}`, 'Slice', [input, t(start, 'starts'), t(end, 'ends'), t(axis, 'axes')]);
      };
      const parts = [
        ...(before > 0 ? [slice(-before, 2 ** 31 - 1, 'before')] : []),
        input,
        ...(after > 0 ? [slice(0, after, 'after')] : []),
      ];
      return this.node(`${name}.${tag}`, 'Concat', parts, [int('axis', axis)]);
    };
    return wrap(wrap(x, 3, left, right, 'wrap_w'), 2, top, bottom, 'wrap_h');
  }
}

/** [top, left, bottom, right]; 'same' splits d·(k−1) with the extra on the bottom/right, as PyTorch. */
function convPads(padding: [number, number] | 'same', kernel: [number, number], dilation: [number, number]): [number, number, number, number] {
  if (padding !== 'same') return [padding[0], padding[1], padding[0], padding[1]];
  const total = [dilation[0] * (kernel[0] - 1), dilation[1] * (kernel[1] - 1)];
  const top = Math.floor(total[0]! / 2);
  const left = Math.floor(total[1]! / 2);
  return [top, left, total[0]! - top, total[1]! - left];
}

/** ONNX raw_data is little-endian; so are the machines this runs on, but say so, once. */
function littleEndian(bytes: Uint8Array): Uint8Array {
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] === 1) return bytes.slice();
  throw new Error('ONNX export needs a little-endian host');
}
