// Node module hooks that give `import text from './file.wgsl?raw'` the meaning Vite gives it
// (the file's text as the default export), so the engine's kernel imports work unbundled in
// the CLI exactly as they do in the renderer build and in Vitest.

import { readFile } from 'node:fs/promises';

const RAW = '?raw';

export async function resolve(specifier, context, nextResolve) {
  if (specifier.endsWith(RAW) && context.parentURL) {
    const url = new URL(specifier.slice(0, -RAW.length), context.parentURL);
    return { url: url.href + RAW, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (url.endsWith(RAW)) {
    const text = await readFile(new URL(url.slice(0, -RAW.length)), 'utf8');
    return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
  }
  return nextLoad(url, context);
}
