// TensorFlow.js (tfjs-layers on the WebGPU backend) training the reference model in Node, on Dawn
// (the `webgpu` package, SwiftShader here), batch 64: images/s over timed steps after warm-up.
//
// Peers for docs/performance.md, run outside the repository (nothing here is a dependency):
//   mkdir peers && cd peers && npm init -y && npm pkg set type=module
//   npm install @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-webgpu@4.22.0 @jax-js/jax@0.1.25 webgpu
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json node tfjs-webgpu.mjs reference|wide STEPS WARMUP
// Prints one JSON line: ms and images per second per training step (wall clock, after warm-up).
import { create, globals } from 'webgpu';
Object.assign(globalThis, globals);
Object.defineProperty(globalThis, 'navigator', { value: { gpu: create(['disable-dawn-features=timestamp_quantization']), userAgent: 'node' }, configurable: true });
const tf = await import('@tensorflow/tfjs');
await import('@tensorflow/tfjs-backend-webgpu');
await tf.setBackend('webgpu');
await tf.ready();
const model = (process.argv[2] ?? 'reference') === 'wide' ? [32, 64] : [8, 16];
const net = tf.sequential({ layers: [
  tf.layers.conv2d({ inputShape: [28, 28, 1], filters: model[0], kernelSize: 3, padding: 'same', activation: 'relu' }),
  tf.layers.maxPooling2d({ poolSize: 2 }),
  tf.layers.conv2d({ filters: model[1], kernelSize: 3, padding: 'same', activation: 'relu' }),
  tf.layers.maxPooling2d({ poolSize: 2 }),
  tf.layers.flatten(), tf.layers.dense({ units: 10 }),
] });
net.compile({ optimizer: tf.train.momentum(0.05, 0.9), loss: (y, p) => tf.losses.softmaxCrossEntropy(y, p) });
const batch = 64;
const x = tf.randomUniform([batch, 28, 28, 1]);
const y = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32'), 10);
const step = async () => { const h = await net.trainOnBatch(x, y); return h; };
for (let i = 0; i < Number(process.argv[4] ?? 3); i++) await step();
const steps = Number(process.argv[3] ?? 10);
const t0 = performance.now();
for (let i = 0; i < steps; i++) await step();
const ms = (performance.now() - t0) / steps;
console.log(JSON.stringify({ peer: 'tfjs-webgpu', version: tf.version.tfjs, backend: tf.getBackend(), model: process.argv[2] ?? 'reference', batch, ms_per_step: +ms.toFixed(1), images_per_second: +((batch * 1000) / ms).toFixed(1) }));
process.exit(0);
