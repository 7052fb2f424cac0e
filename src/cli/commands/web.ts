// `convlab web`: Conv Lab in your browser, for machines where the desktop app cannot run. Serves
// the built renderer and the LabApi on 127.0.0.1 only, behind a token printed in the URL.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveHome } from '../../main/services/home';
import { startBrowserHost } from '../../main/services/browserHost/server';
import { booleanFlag, numberFlag, parseCommandArgs, stringFlag, UsageError } from '../args';

const USAGE = `usage: convlab web [--port P] [--home DIR] [--renderer DIR]
  Serves Conv Lab on http://127.0.0.1:P (default: a free port) and prints the URL to open,
  with its per-launch token. --renderer: the built renderer (default: out/renderer; run npm run build).`;

/** The folder holding package.json above this module: the repository or the installed package. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find Conv Lab\'s package.json; give the built renderer with --renderer DIR');
    dir = parent;
  }
  return dir;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, {
    port: { type: 'string' },
    home: { type: 'string' },
    renderer: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (booleanFlag(args, 'help')) {
    console.log(USAGE);
    return 0;
  }
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}; ${USAGE}`);
  const port = numberFlag(args, 'port', { integer: true, min: 0, max: 65535 }) ?? 0;
  const home = resolveHome({ home: stringFlag(args, 'home') });
  const root = stringFlag(args, 'renderer') === undefined ? packageRoot() : null;
  const staticDir = resolve(stringFlag(args, 'renderer') ?? join(root!, 'out', 'renderer'));
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new Error(`The app is not built: ${join(staticDir, 'index.html')} is missing; run \`npm run build\` first`);
  }
  const version = root ? (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '' : '';

  const host = await startBrowserHost({
    home,
    staticDir,
    port,
    appInfo: () => ({ version, electron: '', chrome: '', platform: process.platform }),
  });
  console.log(`Conv Lab is serving ${home}`);
  console.log('Open this URL in a browser with WebGPU (it holds this launch\'s token; do not share it):');
  console.log(host.url);
  console.log('Press Ctrl-C to stop.');
  await new Promise<void>((resolveStop) => {
    process.once('SIGINT', resolveStop);
    process.once('SIGTERM', resolveStop);
  });
  await host.close();
  return 0;
}
