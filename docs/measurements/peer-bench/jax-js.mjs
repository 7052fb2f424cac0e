// jax-js training the reference model (or the wide variant) on its WebGPU backend in Node, on
// Dawn (the `webgpu` package, SwiftShader here), batch 64: images/s over timed steps after warm-up.
//
// Peers for docs/performance.md, run outside the repository (nothing here is a dependency):
//   mkdir peers && cd peers && npm init -y && npm pkg set type=module
//   npm install @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-webgpu@4.22.0 @jax-js/jax@0.1.25 webgpu
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json node jax-js.mjs reference|wide STEPS WARMUP
// Prints one JSON line: ms and images per second per training step (wall clock, after warm-up).
import { create, globals } from 'webgpu';
Object.assign(globalThis, globals);
Object.defineProperty(globalThis, 'navigator', { value: { gpu: create(['disable-dawn-features=timestamp_quantization']), userAgent: 'node' }, configurable: true });
const { numpy: np, lax, nn, valueAndGrad, jit, init, defaultDevice, random, tree, blockUntilReady } = await import('@jax-js/jax');
const got = await init('webgpu');
defaultDevice('webgpu');
const [c1, c2] = (process.argv[2] ?? 'reference') === 'wide' ? [32, 64] : [8, 16];
const B = 64;
const key = random.key(0);
const [k1, k2, k3] = random.split(key, 3);
const params = {
  w1: random.normal(k1, [c1, 1, 3, 3]).mul(0.3), b1: np.zeros([c1]),
  w2: random.normal(k2, [c2, c1, 3, 3]).mul(0.1), b2: np.zeros([c2]),
  w3: random.normal(k3, [c2 * 49, 10]).mul(0.05), b3: np.zeros([10]),
};
const pool = (h) => lax.reduceWindow(h, (w) => np.max(w), [2, 2], [2, 2]);
function loss(p, x, y) {
  let h = lax.conv(x, p.w1, [1, 1], 'SAME').add(p.b1.reshape([1, c1, 1, 1]));
  h = pool(nn.relu(h));
  h = lax.conv(h, p.w2, [1, 1], 'SAME').add(p.b2.reshape([1, c2, 1, 1]));
  h = pool(nn.relu(h));
  const logits = np.dot(h.reshape([B, c2 * 49]), p.w3).add(p.b3);
  return nn.logSoftmax(logits, -1).mul(y).sum().mul(-1 / B);
}
const step = jit((p, x, y) => {
  const [l, g] = valueAndGrad(loss)(tree.map((a) => a.ref, p), x, y);
  return [l, tree.map((a, d) => a.sub(d.mul(0.05)), p, g)];
});
const x = random.uniform(random.key(1), [B, 1, 28, 28]);
const y = nn.oneHot(np.array(Array.from({ length: B }, (_, i) => i % 10), { dtype: 'int32' }), 10);
let p = params;
const run = async () => {
  const [l, np2] = step(tree.map((a) => a.ref, p), x.ref, y.ref);
  tree.map((a) => a.dispose(), p);
  p = np2;
  await l.data();
};
for (let i = 0; i < Number(process.argv[4] ?? 3); i++) await run();
const steps = Number(process.argv[3] ?? 10);
const t0 = performance.now();
for (let i = 0; i < steps; i++) await run();
const ms = (performance.now() - t0) / steps;
console.log(JSON.stringify({ peer: 'jax-js', version: '0.1.25', devices: got, model: process.argv[2] ?? 'reference', batch: B, ms_per_step: +ms.toFixed(1), images_per_second: +((B * 1000) / ms).toFixed(1) }));
process.exit(0);
