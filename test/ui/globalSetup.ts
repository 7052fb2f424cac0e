// The UI tier's global setup does one cheap thing that cannot fail: it names this test run, so
// the helper in lab.ts can print the WebGPU adapter once per run rather than once per file (each
// file runs in its own worker). The real work (build, host, browser) lives in lab.ts, where a
// failure fails the UI tests only, not the cpu and gpu tiers that share the run.
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    uiRunId: string;
  }
}

export default function setup(project: TestProject): void {
  project.provide('uiRunId', `${process.pid}-${Date.now()}`);
}
