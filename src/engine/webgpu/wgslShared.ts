// The WGSL pieces several kernels share (kernels/common/*.wgsl), each written once and put in
// front of the kernels that use them when their pipeline is built — webgpu-samples' pattern of
// one common WGSL string concatenated with each shader. A kernel spec names its pieces
// (KernelSpec.shared) and each kernel's header says "Prepended when loaded: …", so the file a
// reader opens still says where every name it uses comes from.
//
// WGSL module-scope declarations may come in any order, so a piece may use a name the kernel
// declares (`p`, `x`), and the kernel the piece's structs and functions.

import activationMath from '../../../kernels/common/activation_math.wgsl?raw';
import activationParams from '../../../kernels/common/activation_params.wgsl?raw';
import channelPlanes from '../../../kernels/common/channel_planes.wgsl?raw';
import avgPoolDivisor from '../../../kernels/common/avg_pool_divisor.wgsl?raw';
import convColumns from '../../../kernels/common/conv_columns.wgsl?raw';
import convGeometry from '../../../kernels/common/conv_geometry.wgsl?raw';
import imageSegments from '../../../kernels/common/image_segments.wgsl?raw';
import isNan from '../../../kernels/common/is_nan.wgsl?raw';
import packedBytes from '../../../kernels/common/packed_bytes.wgsl?raw';
import padParams from '../../../kernels/common/pad_params.wgsl?raw';
import poolParams from '../../../kernels/common/pool_params.wgsl?raw';
import unfoldParams from '../../../kernels/common/unfold_params.wgsl?raw';

export interface WgslPart {
  /** Path under kernels/, as the kernels' headers name it. */
  file: string;
  source: string;
}

const part = (file: string, source: string): WgslPart => ({ file: `common/${file}`, source });

export const ACTIVATION_MATH = part('activation_math.wgsl', activationMath);
export const ACTIVATION_PARAMS = part('activation_params.wgsl', activationParams);
export const AVG_POOL_DIVISOR = part('avg_pool_divisor.wgsl', avgPoolDivisor);
export const CHANNEL_PLANES = part('channel_planes.wgsl', channelPlanes);
export const CONV_COLUMNS = part('conv_columns.wgsl', convColumns);
export const CONV_GEOMETRY = part('conv_geometry.wgsl', convGeometry);
export const IMAGE_SEGMENTS = part('image_segments.wgsl', imageSegments);
export const IS_NAN = part('is_nan.wgsl', isNan);
export const PACKED_BYTES = part('packed_bytes.wgsl', packedBytes);
export const PAD_PARAMS = part('pad_params.wgsl', padParams);
export const POOL_PARAMS = part('pool_params.wgsl', poolParams);
export const UNFOLD_PARAMS = part('unfold_params.wgsl', unfoldParams);

/** The text one shader module compiles: each shared piece, then the kernel. The marker lines
 *  let a compiler message's line number be traced back to the file it came from. */
export function composeWgsl(kernelName: string, kernelSource: string, shared: readonly WgslPart[]): string {
  if (shared.length === 0) return kernelSource;
  const pieces = shared.map((s) => `// ---- ${s.file} ----\n${s.source.trimEnd()}\n`);
  return `${pieces.join('\n')}\n// ---- kernel ${kernelName} ----\n${kernelSource}`;
}
