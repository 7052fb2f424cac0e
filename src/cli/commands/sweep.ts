// `convlab sweep SPEC...`: a grid or a random search over train options, run one after another on
// one GPU, each a normal run tagged sweep:<id>. Every run's settings are checked before the first
// starts; a diverged run is recorded and the sweep goes on; `--resume ID` finishes a stopped or
// killed sweep without recording any run twice (src/engine/train/sweep/sweepRunner.ts).
import { readFile } from 'node:fs/promises';
import { TrainControl } from '../../engine/train/control';
import { checkSweepKeys, describeParams } from '../../engine/train/sweep/overrides';
import { runSweep, sweepConfigs, type SweepOutcome } from '../../engine/train/sweep/sweepRunner';
import { expandSweep, parseCompactSweep, parseSweepJson, type SweepSpec } from '../../engine/train/sweep/sweepSpec';
import type { TrainConfig } from '../../engine/train/types';
import { loadDataset } from '../../main/services/datasets/index';
import { RunStore } from '../../main/services/runStore';
import { namedTensors, storeRunReader, storeRunSink } from '../../main/services/runs/storeSink';
import { SweepStore, sweepRuns } from '../../main/services/sweeps/sweepStore';
import { readSafetensors } from '../../shared/formats/safetensors';
import type { SweepRecord } from '../../shared/sweepFormat';
import { UsageError } from '../args';
import { commandHome } from '../home';
import { openBackend } from '../openBackend';
import { parseTrainOptions, resolveModel, TRAIN_FLAGS } from '../train/options';
import { resolveTrainingData } from '../train/resolveData';
import { packageVersion } from '../version';

const USAGE = `usage: convlab sweep SPEC... [--random N] [--sweep-seed S] [--max-runs N] [--name NAME] [train options] [--json]
       convlab sweep --resume SWEEP_ID [--max-runs N] [--backend B] [--json]
       convlab sweep --list [--json]

SPEC is a sweep file (convlab-sweep/1 JSON, docs/formats/sweep.md) or KEY=VALUES terms:
  grid:    lr=0.1,0.03,0.01 batch=32,64            every combination (here 6 runs)
  random:  --random 8 lr=log:1e-4:1e-1 optimizer=sgd,adam
           (log:A:B log-uniform, uniform:A:B, int:A:B; a list is a uniform choice)
Keys are convlab train options: lr, batch, epochs, seed, optimizer, momentum, weight-decay,
nesterov, schedule, max-steps, early-stop, label-smoothing, shuffle, augment, model.
Every other convlab train option (--data, --model, --epochs, ...) sets what all runs share.

  --random N       draw N runs instead of the grid
  --sweep-seed S   seed of the random draws (default 1)
  --max-runs N     start at most N runs now (--resume goes on)
  --resume ID      run what a stopped or killed sweep has left
  --list           the sweeps in this home and how far each got`;

const SWEEP_FLAGS = new Set(['random', 'sweep-seed', 'max-runs', 'resume']);

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const { terms, own, rest } = splitArgs(argv);
  const opts = parseTrainOptions(rest);
  const home = await commandHome(opts.home);
  const store = new RunStore(home);
  const sweeps = new SweepStore(home);
  if (own.list !== undefined) return listSweeps(sweeps, store, opts.json);

  let sweep: SweepRecord;
  if (own.resume !== undefined) {
    if (terms.length) throw new UsageError('--resume continues a sweep as it was made; give no SPEC with it');
    sweep = await sweeps.get(own.resume);
  } else {
    const spec = await readSpec(terms, own);
    sweep = await prepareNew(spec, opts, home, sweeps, own);
  }
  // base.data is the stored dataset (files given with --data were imported when the sweep was made).
  const data = await loadDataset(home, sweep.base.data);
  const input: [number, number, number] = [data.channels, data.height, data.width];
  const host = { data, resolveModel: (text: string) => resolveModel(text, input, data.classes.length) };
  sweepConfigs(sweep, host); // every run checked before a device is opened

  const { be, gpu, description } = await openBackend(opts.backend === 'cpu' ? 'cpu' : sweep.base.backend, home, sweep.base.convAlgorithm as never);
  if (!opts.json && gpu) console.error(description);
  const control = new TrainControl();
  let interrupted = false;
  const onSignal = (): void => {
    if (control.stopRequested) process.exit(130);
    interrupted = true;
    if (!opts.json) console.error('\nstopping the sweep after this step (Ctrl-C again to quit at once)…');
    control.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const say = (line: string) => !opts.json && console.error(line);
  let outcome: SweepOutcome;
  try {
    const init = sweep.base.init ? namedTensors(readSafetensors(await readFile(sweep.base.init))) : undefined;
    outcome = await runSweep(sweep, {
      backend: be, ...host, newSink: () => storeRunSink(store), reader: storeRunReader(store), control,
      runsOf: async (id) => new Map([...(await sweepRuns(store, id))].map(([i, m]) => [i, { id: m.id, status: m.status }])),
      versions: { convlab: packageVersion(), node: process.versions.node },
      ...(init ? { init } : {}),
      onRunStart: (r) => say(`run ${r.index + 1}/${r.total}${r.resumed ? ' (resumed)' : ''}: ${describeParams(r.params)}`),
      onRunEnd: (r) => say(`  ${r.status}${Number.isFinite(r.valAccuracy) ? `, val accuracy ${(100 * r.valAccuracy).toFixed(2)}%` : ''}${r.error ? `: ${r.error}` : ''} (${r.runId})`),
    }, own.maxRuns !== undefined ? { maxRuns: own.maxRuns } : {});
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const left = outcome.runs.filter((r) => !['completed', 'diverged', 'failed'].includes(r.status)).length;
  if (opts.json) {
    console.log(JSON.stringify({
      sweep_id: sweep.id, finished: outcome.finished, stopped: outcome.stopped, remaining: left,
      runs: outcome.runs.map((r) => ({ index: r.index, params: r.params, run_id: r.runId, status: r.status })),
    }));
  } else {
    console.log(`sweep ${sweep.id}: ${outcome.runs.length - left} of ${outcome.runs.length} runs done${left ? `; ${left} left: convlab sweep --resume ${sweep.id}` : ''}`);
  }
  return interrupted ? 130 : 0;
}

interface OwnFlags {
  random?: number;
  sweepSeed?: number;
  maxRuns?: number;
  resume?: string;
  list?: true;
}

/** SPEC terms and the sweep's own flags, apart from the train options every run shares. */
function splitArgs(argv: string[]): { terms: string[]; own: OwnFlags; rest: string[] } {
  const terms: string[] = [];
  const own: OwnFlags = {};
  const rest: string[] = [];
  const count = (flag: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < min) throw new UsageError(`--${flag} must be a whole number ≥ ${min}, got ${JSON.stringify(v ?? '')}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith('--') ? a.slice(2).split(/=(.*)/s, 2) : [null, undefined];
    if (flag !== null && SWEEP_FLAGS.has(flag!)) {
      const value = inline ?? argv[++i];
      if (flag === 'random') own.random = count('random', value, 1);
      else if (flag === 'sweep-seed') own.sweepSeed = count('sweep-seed', value, 0);
      else if (flag === 'max-runs') own.maxRuns = count('max-runs', value, 1);
      else if (value === undefined) throw new UsageError('--resume needs a sweep id');
      else own.resume = value;
    } else if (flag === 'list') own.list = true;
    else if (flag === null && (a.includes('=') || a.endsWith('.json'))) terms.push(a);
    else if (flag === null) throw new UsageError(`unexpected argument ${JSON.stringify(a)}: SPEC terms look like KEY=VALUES`);
    else {
      // A train option: its value (when it takes one and is not written --flag=value) comes along.
      rest.push(a);
      if (inline === undefined && TRAIN_FLAGS[flag!]?.type === 'string' && i + 1 < argv.length) rest.push(argv[++i]!);
    }
  }
  if (!own.list && own.resume === undefined && terms.length === 0) throw new UsageError('give the sweep: a sweep file or KEY=VALUES terms');
  return { terms, own, rest };
}

async function readSpec(terms: string[], own: OwnFlags): Promise<SweepSpec> {
  try {
    if (terms.length === 1 && terms[0]!.endsWith('.json')) {
      const text = await readFile(terms[0]!, 'utf8').catch((e: NodeJS.ErrnoException) => {
        throw new Error(`cannot read ${terms[0]}: ${e.code ?? e.message}`);
      });
      const spec = parseSweepJson(JSON.parse(text), terms[0]!);
      checkSweepKeys(Object.keys(spec.parameters));
      return spec;
    }
    const spec = parseCompactSweep(terms, { ...(own.random !== undefined ? { random: own.random } : {}), seed: own.sweepSeed ?? 1 });
    checkSweepKeys(Object.keys(spec.parameters));
    return spec;
  } catch (e) {
    if ((e as Error).name === 'SweepSpecError') throw new UsageError((e as Error).message);
    throw e;
  }
}

async function prepareNew(spec: SweepSpec, opts: ReturnType<typeof parseTrainOptions>, home: string, sweeps: SweepStore, own: OwnFlags): Promise<SweepRecord> {
  if (opts.resume) throw new UsageError('--resume RUN is for convlab train; a sweep resumes with convlab sweep --resume SWEEP_ID');
  const data = await resolveTrainingData(home, opts.data, opts.valSplit, opts.seed);
  const spec0 = resolveModel(opts.model, [data.channels, data.height, data.width], data.classes.length);
  const config: TrainConfig = {
    spec: spec0, epochs: opts.epochs, batchSize: opts.batch, lr: opts.lr, optimizer: opts.optimizer, schedule: opts.schedule,
    seed: opts.seed, maxSteps: opts.maxSteps, shuffle: opts.shuffle, ...(opts.earlyStop !== undefined ? { earlyStop: opts.earlyStop } : {}),
    ...(opts.labelSmoothing ? { labelSmoothing: opts.labelSmoothing } : {}), ...(opts.augment ? { augment: opts.augment } : {}),
  };
  const runs = expandSweep(spec).map((params, index) => ({ index, params }));
  const record = { spec, runs, name: opts.name ?? `sweep of ${Object.keys(spec.parameters).join(', ')}`,
    base: { data: data.id, model: opts.model, config: config as unknown as SweepRecord['base']['config'], convAlgorithm: opts.convAlgo, backend: opts.backend, ...(opts.init ? { init: opts.init } : {}) } };
  // Every run's settings are checked before the sweep is even stored.
  const input: [number, number, number] = [data.channels, data.height, data.width];
  try {
    sweepConfigs({ ...record, formatVersion: 1, id: 'sw-00000000-000000-0000', createdAt: '' }, { data, resolveModel: (text) => resolveModel(text, input, data.classes.length) });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (own.maxRuns === undefined && !opts.json) console.error(`sweep: ${runs.length} runs`);
  return sweeps.create(record);
}

async function listSweeps(sweeps: SweepStore, store: RunStore, json: boolean): Promise<number> {
  const list = [];
  for (const s of await sweeps.list()) {
    const runs = await sweepRuns(store, s.id);
    const done = [...runs.values()].filter((r) => ['completed', 'diverged', 'failed'].includes(r.status)).length;
    list.push({ id: s.id, name: s.name, created_at: s.createdAt, runs: s.runs.length, done });
  }
  if (json) console.log(JSON.stringify({ sweeps: list }));
  else for (const s of list) console.log(`${s.id}  ${s.name}  ${s.done}/${s.runs} done`);
  return 0;
}
