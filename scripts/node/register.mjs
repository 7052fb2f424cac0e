// `node --import ./scripts/node/register.mjs src/cli/main.ts`: run the TypeScript sources
// directly. tsx compiles TypeScript; our hooks (registered last, so consulted first) load
// `?raw` imports of WGSL files as strings.

import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register('./rawImportHooks.mjs', import.meta.url);
