// onnxruntime-node 1.20 names dist/index.d.ts in its package.json but does not ship it; the
// API it exports is onnxruntime-common's, which does ship its types.
declare module 'onnxruntime-node' {
  export * from 'onnxruntime-common';
}
