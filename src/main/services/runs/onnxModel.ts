// ONNX export of a Sequential: the model spec becomes an ONNX graph (opset 13) and the
// state_dict its initializers, weights as raw little-endian float32. Pure (no Node imports), so it could move anywhere:
// protobufjs encodes from a schema declared here with ONNX's field numbers (onnx/onnx.proto3).

import protobuf from 'protobufjs';
import type { ModelSpec } from '../../../engine/model/spec';

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
message ModelProto {
  int64 ir_version = 1; string producer_name = 2; string producer_version = 3;
  GraphProto graph = 7; repeated OperatorSetIdProto opset_import = 8;
}
`;

const FLOAT = 1; // TensorProto.DataType.FLOAT
const ATTR = { FLOAT: 1, INT: 2, INTS: 7 } as const;
const OPSET = 13;
const IR_VERSION = 7; // the IR version that goes with opset 13

export interface OnnxWeight {
  name: string;
  shape: number[];
  data: Float32Array;
}

type Attr = { name: string; type: number; i?: number; f?: number; ints?: number[] };
const ints = (name: string, v: number[]): Attr => ({ name, type: ATTR.INTS, ints: v });
const int = (name: string, v: number): Attr => ({ name, type: ATTR.INT, i: v });
const float = (name: string, v: number): Attr => ({ name, type: ATTR.FLOAT, f: v });

let modelType: protobuf.Type | null = null;

/** Encode `spec` with `weights` (PyTorch state_dict names) as an ONNX ModelProto. Input
 *  "input" is (batch, C, H, W) with a symbolic batch; output "logits". */
export function exportOnnx(spec: ModelSpec, weights: readonly OnnxWeight[], producerVersion: string): Uint8Array {
  modelType ??= protobuf.parse(ONNX_SCHEMA, { keepCase: true }).root.lookupType('onnx.ModelProto');
  const byName = new Map(weights.map((w) => [w.name, w]));
  const initializer: object[] = [];
  const use = (name: string): string => {
    const w = byName.get(name);
    if (!w) throw new Error(`ONNX export: the checkpoint has no tensor "${name}"`);
    const bytes = new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength);
    initializer.push({ name, dims: w.shape, data_type: FLOAT, raw_data: littleEndian(bytes) });
    return name;
  };
  const nodes: object[] = [];
  let current = 'input';
  spec.layers.forEach((layer, i) => {
    const out = i === spec.layers.length - 1 ? 'logits' : `${i}.${layer.type}.out`;
    const node = (op: string, inputs: string[], attribute: Attr[] = []): void => {
      nodes.push({ name: `${i}.${layer.type}`, op_type: op, input: inputs, output: [out], attribute });
    };
    switch (layer.type) {
      case 'conv2d': {
        const w = byName.get(`${i}.weight`);
        const [kh, kw] = [w?.shape[2] ?? layer.kernel_size[0], w?.shape[3] ?? layer.kernel_size[1]];
        const [t, l, b, r] = convPads(layer.padding, [kh, kw], layer.dilation);
        node('Conv', [current, use(`${i}.weight`), ...(layer.bias ? [use(`${i}.bias`)] : [])], [
          ints('kernel_shape', [kh, kw]), ints('strides', layer.stride), ints('pads', [t, l, b, r]),
          ints('dilations', layer.dilation), int('group', layer.groups),
        ]);
        break;
      }
      case 'linear':
        node('Gemm', [current, use(`${i}.weight`), ...(layer.bias ? [use(`${i}.bias`)] : [])], [int('transB', 1)]);
        break;
      case 'relu':
        node('Relu', [current]);
        break;
      case 'leaky_relu':
        node('LeakyRelu', [current], [float('alpha', layer.negative_slope)]);
        break;
      case 'max_pool2d':
        node('MaxPool', [current], [
          ints('kernel_shape', layer.kernel_size), ints('strides', layer.stride),
          ints('pads', [...layer.padding, ...layer.padding]), ints('dilations', layer.dilation), int('ceil_mode', layer.ceil_mode ? 1 : 0),
        ]);
        break;
      case 'avg_pool2d':
        node('AveragePool', [current], [
          ints('kernel_shape', layer.kernel_size), ints('strides', layer.stride), ints('pads', [...layer.padding, ...layer.padding]),
          int('ceil_mode', layer.ceil_mode ? 1 : 0), int('count_include_pad', layer.count_include_pad ? 1 : 0),
        ]);
        break;
      case 'flatten':
        node('Flatten', [current], [int('axis', 1)]);
        break;
      case 'dropout':
        node('Identity', [current]); // inference: dropout is the identity
        break;
      case 'batch_norm2d': {
        const c = byName.get(`${i}.running_mean`)?.shape[0] ?? 0;
        const scale = layer.affine ? use(`${i}.weight`) : constant(`${i}.weight`, c, 1, initializer);
        const bias = layer.affine ? use(`${i}.bias`) : constant(`${i}.bias`, c, 0, initializer);
        node('BatchNormalization', [current, scale, bias, use(`${i}.running_mean`), use(`${i}.running_var`)], [
          float('epsilon', layer.eps), float('momentum', 1 - layer.momentum),
        ]);
        break;
      }
    }
    current = out;
  });

  const tensorType = (dims: Array<number | string>) => ({
    tensor_type: { elem_type: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dim_param: d } : { dim_value: d })) } },
  });
  const model = {
    ir_version: IR_VERSION,
    producer_name: 'Conv Lab',
    producer_version: producerVersion,
    opset_import: [{ domain: '', version: OPSET }],
    graph: {
      name: 'convlab_sequential',
      node: nodes,
      initializer,
      input: [{ name: 'input', type: tensorType(['batch', ...spec.input]) }],
      output: [{ name: 'logits', type: tensorType(['batch', 'classes']) }],
    },
  };
  return modelType.encode(modelType.fromObject(model)).finish();
}

/** [top, left, bottom, right]; 'same' splits d·(k−1) with the extra on the bottom/right, as PyTorch. */
function convPads(padding: [number, number] | 'same', kernel: [number, number], dilation: [number, number]): [number, number, number, number] {
  if (padding !== 'same') return [padding[0], padding[1], padding[0], padding[1]];
  const total = [dilation[0] * (kernel[0] - 1), dilation[1] * (kernel[1] - 1)];
  const top = Math.floor(total[0]! / 2);
  const left = Math.floor(total[1]! / 2);
  return [top, left, total[0]! - top, total[1]! - left];
}

function constant(name: string, length: number, value: number, into: object[]): string {
  const data = new Float32Array(length).fill(value);
  into.push({ name, dims: [length], data_type: FLOAT, raw_data: littleEndian(new Uint8Array(data.buffer)) });
  return name;
}

/** ONNX raw_data is little-endian; so are the machines this runs on, but say so, once. */
function littleEndian(bytes: Uint8Array): Uint8Array {
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] === 1) return bytes.slice();
  throw new Error('ONNX export needs a little-endian host');
}
