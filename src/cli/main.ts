// `convlab`: the command-line face of Conv Lab. Each command lives in src/cli/commands/<name>.ts
// and exports `run(argv): Promise<number>` (the exit status); it is loaded only when it runs, so
// `convlab --version` and `convlab help` load nothing else. Exit status: 0 done, 1 the job failed,
// 2 a usage error (unknown command or flag, bad value, missing argument: a UsageError from
// src/cli/args.ts), 130 stopped by Ctrl-C (train). Errors that reach this file are printed as one
// line, never as a stack trace, unless CONVLAB_DEBUG is set.

import { packageVersion } from './version';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  verify: { summary: 'run a convlab-cases/1 file through the WebGPU kernels', load: () => import('./commands/verify') },
  train: { summary: 'train a model headless (same engine as the app) and save the run', load: () => import('./commands/train') },
  datasets: { summary: 'import (image folder, IDX, CIFAR-10), list, show, rename, rm datasets', load: () => import('./commands/datasets') },
  runs: { summary: 'list, show, compare, export (safetensors, onnx, csv), rm saved runs', load: () => import('./commands/runs') },
  eval: { summary: 'evaluate a run: accuracy, per-class precision/recall/F1, confusion matrix', load: () => import('./commands/eval') },
  predict: { summary: 'top classes of new images (files or folders) with a trained run', load: () => import('./commands/predict') },
  sweep: { summary: 'a grid or random search over train options, run after run; --resume finishes one', load: () => import('./commands/sweep') },
  inspect: { summary: "one image through a run's model: every layer's output, filters, input gradients (PNG)", load: () => import('./commands/inspect') },
  bench: { summary: 'measure this adapter: reference model images/s, conv layers per algorithm, GEMM peak (JSON)', load: () => import('./commands/bench') },
  web: { summary: 'serve Conv Lab to your browser on 127.0.0.1 (token in the URL)', load: () => import('./commands/web') },
};

export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return [
    'usage: convlab <command> [options]',
    '       convlab --version | --help',
    '',
    'commands:',
    ...lines,
    `  ${'help'.padEnd(10)} this list`,
    '',
    'Run `convlab <command> --help` for its options. Exit status: 0 done, 1 failed, 2 usage error.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    console.log(packageVersion());
    return 0;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return 0;
  }
  if (!name) {
    console.error(usage());
    return 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`convlab: unknown command ${JSON.stringify(name)}; run \`convlab help\` for the list\n\n${usage()}`);
    return 2;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // By name, not instanceof: the bundle and the sources each have their own class object.
    const usageError = error instanceof Error && error.name === 'UsageError';
    const hint = usageError && !message.includes('usage:') ? ` (see convlab ${name} --help)` : '';
    console.error(`convlab ${name}: ${message}${hint}`);
    if (process.env.CONVLAB_DEBUG && error instanceof Error) console.error(error.stack);
    return usageError ? 2 : 1;
  }
}

const invokedDirectly = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
