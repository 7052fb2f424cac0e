import { defineConfig } from 'vitest/config';

// Three tiers (see DESIGN.md): cpu always runs; gpu runs every WGSL kernel on a real WebGPU
// adapter through Dawn (SwiftShader without a GPU); ui drives the real renderer in Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'cpu',
          include: ['test/**/*.test.ts'],
          exclude: ['test/gpu/**', 'test/ui/**'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'gpu',
          include: ['test/gpu/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
          // One Dawn instance per process: running GPU files in parallel only contends for
          // the two CPU cores SwiftShader already uses.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'ui',
          include: ['test/ui/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          // Names the run so test/ui/lab.ts prints the WebGPU adapter once, not once per file.
          globalSetup: ['test/ui/globalSetup.ts'],
          // After cpu and gpu (group 0): the browser's SwiftShader would only contend with
          // them for the two cores, and a UI failure is easier to read after the engine passed.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
