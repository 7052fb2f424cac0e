// A GPU-resident f32 array: the buffer plus its logical length (the buffer may be larger,
// because the pool rounds sizes up).

export interface GpuTensor {
  readonly buffer: GPUBuffer;
  readonly length: number;
  readonly label: string;
}

/** WebGPU's usage flags spelled out, so this module loads before `GPUBufferUsage` exists as a
 *  global (in Node it appears only once the webgpu package has been set up). */
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
  QUERY_RESOLVE: 0x0200,
} as const;

export const STORAGE_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
