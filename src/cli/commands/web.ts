// `convlab web`: Conv Lab in your browser, for machines where the desktop app cannot run. Serves
// the built renderer and the LabApi on 127.0.0.1 only, behind a token printed in the URL.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { commandHome } from '../home';
import { startBrowserHost } from '../../main/services/browserHost/server';
import { booleanFlag, expectPositionals, numberFlag, parseCommandArgs, stringFlag } from '../args';
import { openInBrowser } from '../openBrowser';
import { packageRoot, packageVersion } from '../version';

const USAGE = `usage: convlab web [--port P] [--home DIR] [--renderer DIR] [--open]
  Serves Conv Lab on http://127.0.0.1:P (default: a free port) and prints the URL to open,
  with its per-launch token. --renderer: the built renderer (default: out/renderer; run npm run build).
  --open: also open the URL in the default browser, when there is one and stdout is a terminal.`;

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, {
    port: { type: 'string' },
    home: { type: 'string' },
    renderer: { type: 'string' },
    open: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (booleanFlag(args, 'help')) {
    console.log(USAGE);
    return 0;
  }
  expectPositionals(args.positionals, [], 'convlab web [--port P] [--home DIR] [--renderer DIR] [--open]');
  const port = numberFlag(args, 'port', { integer: true, min: 0, max: 65535 }) ?? 0;
  const home = await commandHome(stringFlag(args, 'home'));
  const root = stringFlag(args, 'renderer') === undefined ? packageRoot() : null;
  const staticDir = resolve(stringFlag(args, 'renderer') ?? join(root!, 'out', 'renderer'));
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new Error(`The app is not built: ${join(staticDir, 'index.html')} is missing; run \`npm run build\` first`);
  }
  const version = packageVersion();

  const host = await startBrowserHost({
    home,
    staticDir,
    port,
    appInfo: () => ({ version, electron: '', chrome: '', platform: process.platform }),
  });
  console.log(`Conv Lab is serving ${home}`);
  console.log('Open this URL in a browser with WebGPU (it holds this launch\'s token; do not share it):');
  console.log(host.url);
  if (booleanFlag(args, 'open') && openInBrowser(host.url)) console.log('Opened it in your default browser.');
  console.log('Press Ctrl-C to stop.');
  await new Promise<void>((resolveStop) => {
    process.once('SIGINT', resolveStop);
    process.once('SIGTERM', resolveStop);
  });
  await host.close();
  return 0;
}
