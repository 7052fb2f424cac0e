// Worker-thread entry for running from TypeScript sources (vitest, `npx tsx`). worker_threads start
// plain Node, which cannot load .ts files, so install tsx's loader in this thread first and then
// load the real worker. A bundled build points the pool at its compiled decodeWorker.js instead
// (see decodeWorkerUrl in decodePool.ts), and never loads this file.
import { register } from 'tsx/esm/api';

register();
await import('./decodeWorker.ts');
