// The Backend: the op vocabulary every implementation provides (tinygrad's lesson: a small set
// of ops, and layers that only ever call these). `cpu` runs the float64 twins; `webgpu` records
// WGSL dispatches into one command buffer per step. B is the backend's tensor handle.
//
// Argument order follows the kernels (llm.c's rule): geometry first, then inputs, then outputs.
// Gradients carry a d prefix.

import type { Conv2dGeometry } from './conv/geometry';
import type { GemmSpec } from './gemm';
import type { Pool2dGeometry } from './pool/geometry';

export type ConvAlgorithm = 'im2col' | 'implicit' | 'direct' | 'auto';

/** The activations without a kink (nn.Sigmoid, nn.Tanh, nn.GELU() — the exact erf form — nn.SiLU). */
export type SmoothActivation = 'sigmoid' | 'tanh' | 'gelu' | 'silu';
export const SMOOTH_ACTIVATIONS: readonly SmoothActivation[] = ['sigmoid', 'tanh', 'gelu', 'silu'];
/** Whether the backward of `kind` reads the forward's output (sigmoid, tanh), else its input. */
export const savesOutput = (kind: SmoothActivation): boolean => kind === 'sigmoid' || kind === 'tanh';

/** PyTorch's Conv2d padding_mode beside 'zeros': what the padded border repeats. */
export type PaddingMode = 'reflect' | 'replicate' | 'circular';

/** F.pad(x, (left, right, top, bottom), mode) of an (N, C, H, W) input. */
export interface Pad2dGeometry {
  mode: PaddingMode;
  /** N·C planes. */
  planes: number;
  height: number;
  width: number;
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** The phases GPU time is reported in. 'data' is batch assembly, 'loss' the loss and its gradient. */
export type Phase = 'data' | 'forward' | 'loss' | 'grad-input' | 'grad-weight' | 'grad-bias' | 'optimizer' | 'metrics';

export interface ReadOptions {
  /** Start waiting for the result only once this settles; the work is submitted at once. */
  notBefore?: Promise<unknown>;
}

export interface KernelScope {
  layer: string;
  phase: Phase;
}

// --- Training ops (BatchNorm, loss, optimizers, reductions, batch assembly): types ---------------

/** A BatchNorm2d input seen as (batch, channels, pixels) with pixels = H·W. */
export interface BatchNormGeometry {
  batch: number;
  channels: number;
  pixels: number;
}

/** torch.optim.SGD's hyper-parameters; firstStep makes the momentum buffer a copy of the grad. */
export interface SgdOptions {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  firstStep: boolean;
}

/** torch.optim.Adam (decoupled = false: L2 added to the grad) or AdamW (decoupled = true). */
export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  decoupled: boolean;
  /** 1-based step count, for the bias corrections. */
  step: number;
}

/** Which samples to gather and how to normalise them: out = (v/255 − mean[c]) / std[c]. */
export interface GatherBatchOptions {
  count: number;
  channels: number;
  height: number;
  width: number;
  mean: number[];
  std: number[];
}

/** gatherBatchAugmented's table: AUGMENT_PARAMS numbers per image, in this order (drawn by
 *  train/augmentDraw.ts; integers and float32 values, so both backends read the same):
 *  dy, dx (crop: output (y, x) reads (y + dy, x + dx), black outside), flip (0 | 1),
 *  top, left, boxHeight, boxWidth (the resized crop's box, resized bilinearly to H × W),
 *  brightness, contrast (jitter factors, 1 = unchanged). */
export const AUGMENT_PARAMS = 9;

export interface Backend<B> {
  readonly kind: 'cpu' | 'webgpu';
  /** Whether waiting for a readback keeps a CPU core busy (Dawn for Node polls the event loop
   *  while a map is pending; a browser's map costs nothing): only then does the trainer pace
   *  its readbacks (train/readbackPacer.ts). */
  readonly busyReadbackWait: boolean;

  // Memory. Contents of alloc() are undefined; zeros() are zero.
  upload(data: ArrayLike<number>, label: string): B;
  alloc(length: number, label: string): B;
  zeros(length: number, label: string): B;
  /** Submits pending work at once; with `notBefore`, waits for the result only once that
   *  settles (see train/readbackPacer.ts). */
  read(t: B, options?: ReadOptions): Promise<Float64Array>;
  release(t: B): void;
  length(t: B): number;
  /** Send recorded work to the device (no-op on the CPU). */
  flush(): void;
  /** Name the work that follows — a layer ('0.conv2d') and a phase — so GPU timings can be
   *  grouped by layer and phase. null clears it. */
  setScope(scope: KernelScope | null): void;
  /** dst[dstOffset + i] = src[srcOffset + i] for i < length (element offsets). */
  copy(src: B, srcOffset: number, dst: B, dstOffset: number, length: number): void;

  // The primitives of SpatialConvolutionMM.
  im2col(g: Conv2dGeometry, input: B, columns: B): void;
  col2im(g: Conv2dGeometry, columns: B, dInput: B): void;
  gemm(spec: GemmSpec, a: B, b: B, c: B): void;
  biasAdd(n: number, c: number, l: number, bias: B, out: B): void;
  biasGrad(n: number, c: number, l: number, dOut: B, dBias: B, accumulate: boolean): void;

  // Convolution, whole mini-batch at once. Weight is (O, C/groups, kh, kw).
  conv2dForward(g: Conv2dGeometry, input: B, weight: B, bias: B | null, output: B): void;
  /** dInput = col2im(Wᵀ · dOut); dInput is overwritten. */
  conv2dBackwardInput(g: Conv2dGeometry, dOut: B, weight: B, dInput: B): void;
  /** dWeight (+)= Σ_n dOut · columnsᵀ. */
  conv2dBackwardWeight(g: Conv2dGeometry, input: B, dOut: B, dWeight: B, accumulate: boolean): void;
  /** dBias (+)= Σ_{n,h,w} dOut. */
  conv2dBackwardBias(g: Conv2dGeometry, dOut: B, dBias: B, accumulate: boolean): void;

  // --- Activations, pools, dropout (cpu/{activation,pool,dropout}.ts, webgpu/ops/ same names) ---
  // n is the element count; every backward overwrites its dX. Flatten needs no op (a reshape).

  relu(n: number, x: B, y: B): void;
  /** dX = dY where y > 0 (PyTorch's threshold_backward on the OUTPUT, so relu may run in place). */
  reluBackward(n: number, y: B, dY: B, dX: B): void;
  leakyRelu(n: number, slope: number, x: B, y: B): void;
  /** dX = dY where x > 0, slope · dY elsewhere (reads the INPUT). */
  leakyReluBackward(n: number, slope: number, x: B, dY: B, dX: B): void;
  /** y = sigmoid, tanh, gelu (erf form) or silu of x. */
  activation(kind: SmoothActivation, n: number, x: B, y: B): void;
  /** dX = f'·dY. `saved` is what PyTorch's backward reads: the forward OUTPUT for sigmoid and
   *  tanh, the forward INPUT for gelu and silu (savesOutput). */
  activationBackward(kind: SmoothActivation, n: number, saved: B, dY: B, dX: B): void;
  /** argmax: one per output, the flat index h·W + w inside the input plane (a u32 on the GPU, so
   *  read() of it is meaningless there; a float64 number on the CPU). Ties keep the first maximum.
   *  relu: a ReLU fused in front of the pool, y = relu(max), equal bit for bit to relu() then
   *  maxPool2d(); argmax stays the pool's own (it can differ from the unfused one only where y <= 0). */
  maxPool2d(g: Pool2dGeometry, x: B, y: B, argmax: B, relu?: boolean): void;
  /** reluOutput: the y of a maxPool2d with relu, which makes this the fused pair's backward as well
   *  (equal to maxPool2dBackward then reluBackward): a window's dY passes only where its y > 0 or NaN. */
  maxPool2dBackward(g: Pool2dGeometry, dY: B, argmax: B, dX: B, reluOutput?: B | null): void;
  /** count_include_pad as in g; dilation must be 1. */
  avgPool2d(g: Pool2dGeometry, x: B, y: B): void;
  avgPool2dBackward(g: Pool2dGeometry, dY: B, dX: B): void;
  /** Training-mode dropout: mask = 0 or 1/(1−p) from a hash of (seed, index), y = x · mask. */
  dropout(n: number, p: number, seed: number, x: B, y: B, mask: B): void;
  dropoutBackward(n: number, dY: B, mask: B, dX: B): void;

  /** Conv2d's non-zero padding modes, as the padding in front of a zero-padding conv (how PyTorch
   *  runs them): y (planes, H + top + bottom, W + left + right) repeats x's border. */
  pad2d(g: Pad2dGeometry, x: B, y: B): void;
  /** The adjoint: dX[i, j] = Σ dY over the padded cells that copy x[i, j]; dX is overwritten. */
  pad2dBackward(g: Pad2dGeometry, dY: B, dX: B): void;

  // --- Training ops: BatchNorm2d, softmax cross-entropy, optimizers, reductions, batches -------
  // Linear has no ops of its own: it is gemm with the plans of linear/gemmPlan.ts plus biasAdd.

  /** Raw bytes (a uint8 dataset), packed 4 per u32 on the GPU; only gather ops read them. */
  uploadBytes(bytes: Uint8Array, label: string): B;
  /** u32 values (sample indices); only gather ops read them. */
  uploadU32(values: Uint32Array, label: string): B;

  /** Training-mode BatchNorm2d as PyTorch: normalise with the biased batch variance, save mean
   *  and 1/sqrt(var + eps) for backward, running = (1 − momentum)·running + momentum·batch with
   *  the unbiased variance. */
  batchNorm2dTrain(g: BatchNormGeometry, eps: number, momentum: number, x: B, gamma: B, beta: B, y: B, saveMean: B, saveInvStd: B, runningMean: B, runningVar: B): void;
  batchNorm2dEval(g: BatchNormGeometry, eps: number, x: B, gamma: B, beta: B, runningMean: B, runningVar: B, y: B): void;
  /** dX is overwritten; dGamma and dBeta (+)= their batch sums. */
  batchNorm2dBackward(g: BatchNormGeometry, x: B, dY: B, gamma: B, saveMean: B, saveInvStd: B, dX: B, dGamma: B, dBeta: B, accumulate: boolean): void;

  /** Mean softmax cross-entropy of (n, classes) logits against class indices stored as floats,
   *  with PyTorch's label_smoothing ε: the target distribution is (1 − ε)·onehot + ε/classes, so
   *  loss[0] = mean of (1 − ε)·(lse − x[target]) + ε·(lse − mean_j x[j]) and
   *  dLogits = (softmax − (1 − ε)·onehot − ε/classes)/n; correct[0] = #rows with argmax = target. */
  crossEntropy(n: number, classes: number, logits: B, targets: B, loss: B, dLogits: B, correct: B, labelSmoothing?: number): void;

  /** One torch.optim.SGD step on n elements (momentumBuf unused when momentum = 0). */
  sgdStep(n: number, opts: SgdOptions, param: B, grad: B, momentumBuf: B): void;
  /** One torch.optim.Adam / AdamW step on n elements (no amsgrad). */
  adamStep(n: number, opts: AdamOptions, param: B, grad: B, m: B, v: B): void;

  /** out[outIndex] = Σ x², a deterministic two-level reduction (no atomics). */
  sumSquares(n: number, x: B, out: B, outIndex: number): void;
  fill(n: number, value: number, x: B): void;
  /** y += alpha · x */
  scaleAdd(n: number, alpha: number, x: B, y: B): void;

  /** Assemble a normalised f32 NCHW batch from a dataset uploaded once with uploadBytes. */
  gatherBatch(opts: GatherBatchOptions, images: B, indices: B, out: B): void;
  /** gatherBatch with each image augmented by its row of `params` (AUGMENT_PARAMS per image) on
   *  [0, 1] pixels, before normalising: crop → flip → resized crop → brightness → contrast. */
  gatherBatchAugmented(opts: GatherBatchOptions, images: B, indices: B, params: B, out: B): void;
  /** out[i] = labels[indices[i]] as a float class index. */
  gatherLabels(count: number, labels: B, indices: B, out: B): void;
}
