// `convlab runs list|show|compare|export|rm`: saved runs from a terminal, through the lab service.
// With --json the last line of stdout is exactly one JSON object.
import type { RunComparison } from '../../shared/labApi';
import { isRunId, type RunManifest } from '../../shared/runFormat';
import { FACT_KEYS, runFacts, type FactValue } from '../../shared/runFacts';
import { parseRunFilter, parseRunSort, RunQueryError } from '../../shared/runQuery';
import { isSweepId } from '../../shared/sweepFormat';
import { sweepRuns } from '../../main/services/sweeps/sweepStore';
import { commandHome } from '../home';
import { createLabService } from '../../main/services/labService';
import { RunStore } from '../../main/services/runStore';
import { pytorchProject, writeProject } from '../../main/services/runs/pytorch/exportProject';
import { packageVersion } from '../version';
import { booleanFlag, choiceFlag, expectPositionals, parseCommandArgs, stringFlag, UsageError, type FlagSpecs } from '../args';

const USAGE = `usage:
  convlab runs list [--filter EXPR] [--sort KEY[:desc]] [--columns KEY,KEY...] [--json]
      EXPR: val_accuracy >= 0.85 and lr < 0.05, tag:NAME, sweep:ID, status:completed, a word;
      KEY: any column (run, hyperparameter or metric; see the README)
  convlab runs show ID [--json]
  convlab runs compare ID|SWEEP_ID ID... [--align step|epoch|time] [--json]
  convlab runs export ID --format safetensors|onnx|csv --out FILE [--checkpoint NAME] [--kind step|epoch|all] [--force] [--json]
  convlab runs export ID --format pytorch --out DIR [--checkpoint NAME] [--force] [--json]
                          a runnable PyTorch project (train.py, torchrun/DDP) that writes Conv Lab runs
  convlab runs rm ID
All take --home DIR (default: $CONVLAB_HOME, else Conv Lab's per-user folder).`;

const FLAGS: FlagSpecs = {
  home: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  align: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  checkpoint: { type: 'string' },
  kind: { type: 'string' },
  force: { type: 'boolean' },
  filter: { type: 'string' },
  sort: { type: 'string' },
  columns: { type: 'string' },
};

/** Flags each subcommand accepts beyond --home/--json/--help, so a misplaced one is refused. */
const ALLOWED: Record<string, string[]> = {
  list: ['filter', 'sort', 'columns'],
  show: [],
  rm: [],
  compare: ['align'],
  export: ['format', 'out', 'checkpoint', 'kind', 'force'],
};

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    console.log(USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (!(sub in ALLOWED)) throw new UsageError(`unknown subcommand "${sub}"; use list, show, compare, export or rm`);
  const flags = Object.fromEntries(Object.entries(FLAGS).filter(([name]) => ['home', 'json', 'help', ...ALLOWED[sub]].includes(name)));
  const args = parseCommandArgs(rest, flags);
  if (booleanFlag(args, 'help')) {
    console.log(USAGE);
    return 0;
  }
  const json = booleanFlag(args, 'json');
  const home = await commandHome(stringFlag(args, 'home'));
  const service = createLabService({ home });
  const out = (value: unknown) => (console.log(JSON.stringify(value)), 0);

  switch (sub) {
    case 'list': {
      expectPositionals(args.positionals, [], 'convlab runs list');
      const { runs: all, problems } = await service.runs.list();
      const query = queryOf(stringFlag(args, 'filter'), stringFlag(args, 'sort'), stringFlag(args, 'columns'));
      const rows = all.map((m) => ({ m, facts: runFacts(m) })).filter((r) => query.filter(r.facts));
      if (query.sort) rows.sort((a, b) => query.sort!(a.facts, b.facts));
      const runs = rows.map((r) => r.m);
      if (json) return out({ runs, problems, ...(query.columns ? { rows: rows.map((r) => Object.fromEntries(query.columns!.map((k) => [k, r.facts[k]]))) } : {}) });
      if (all.length === 0) console.log('No runs yet. Train one with: convlab train');
      else if (rows.length === 0) console.log(`No run matches (${all.length} in all).`);
      else if (query.columns) printFactTable(rows.map((r) => r.facts), query.columns);
      else printRunTable(runs);
      for (const p of problems) console.log(`! ${p.name}: ${p.error}`);
      return 0;
    }
    case 'show': {
      const [id] = expectPositionals(args.positionals, ['ID'], 'convlab runs show ID');
      const m = await service.runs.get(checkedId(id));
      const checkpoints = await service.runs.checkpoints(m.id);
      if (json) return out({ ...m, checkpoints });
      printRun(m, checkpoints.map((c) => c.name));
      return 0;
    }
    case 'compare': {
      if (args.positionals.length < 1) throw new UsageError('give at least two run ids, or a sweep id; usage: convlab runs compare ID ID... [--align step|epoch|time]');
      const align = choiceFlag(args, 'align', ['step', 'epoch', 'time'] as const) ?? 'step';
      // A sweep id stands for all its runs, in the sweep's order.
      const ids: string[] = [];
      for (const p of args.positionals) {
        if (isSweepId(p)) ids.push(...[...(await sweepRuns(new RunStore(home), p))].sort((a, b) => a[0] - b[0]).map(([, m]) => m.id));
        else ids.push(checkedId(p));
      }
      if (ids.length < 2) throw new UsageError('give at least two run ids (or a sweep id with two runs) to compare');
      const c = await service.runs.compare(ids, { align });
      if (json) return out(c);
      printComparison(c);
      return 0;
    }
    case 'export': {
      const [id] = expectPositionals(args.positionals, ['ID'], 'convlab runs export ID --format safetensors|onnx|csv|pytorch --out FILE');
      const format = choiceFlag(args, 'format', ['safetensors', 'onnx', 'csv', 'pytorch'] as const);
      const path = stringFlag(args, 'out');
      if (format === undefined) throw new UsageError('--format is required: safetensors (a checkpoint), onnx (the model with its weights), csv (the metrics) or pytorch (a training project)');
      if (path === undefined) throw new UsageError(`--out ${format === 'pytorch' ? 'DIR' : 'FILE'} is required: where to write the export`);
      const checkpoint = stringFlag(args, 'checkpoint');
      const kind = choiceFlag(args, 'kind', ['step', 'epoch', 'all'] as const);
      if (format === 'pytorch') {
        if (kind !== undefined) throw new UsageError('--kind applies to --format csv');
        const project = await pytorchProject(new RunStore(home), checkedId(id), { checkpoint, exportedBy: `Conv Lab ${packageVersion()}` });
        const dir = await writeProject(path, project, booleanFlag(args, 'force'));
        if (project.note && !json) console.error(`note: ${project.note}`);
        if (json) return out({ path: dir, checkpoint: project.checkpoint, files: project.files.map((f) => f.path) });
        console.log(`Wrote the PyTorch project ${dir} (checkpoint ${project.checkpoint}). Next:`);
        console.log(`  cd ${JSON.stringify(dir)} && pip install -r requirements.txt && python train.py`);
        console.log('  torchrun --nproc_per_node=2 train.py      # DistributedDataParallel');
        return 0;
      }
      if (format === 'csv' && checkpoint !== undefined) throw new UsageError('--checkpoint applies to --format safetensors or onnx');
      if (format !== 'csv' && kind !== undefined) throw new UsageError('--kind applies to --format csv');
      const result = await service.runs.export(checkedId(id), { format, path, checkpoint, kind, overwrite: booleanFlag(args, 'force') });
      if (json) return out(result);
      console.log(`Wrote ${result!.path} (${result!.bytes} bytes${result!.checkpoint ? `, checkpoint ${result!.checkpoint}` : ''})`);
      return 0;
    }
    case 'rm': {
      const [id] = expectPositionals(args.positionals, ['ID'], 'convlab runs rm ID');
      await service.runs.delete(checkedId(id));
      if (json) return out({ deleted: id });
      console.log(`Deleted run ${id}`);
      return 0;
    }
  }
  return 2;
}

function checkedId(id: string): string {
  if (!isRunId(id)) throw new UsageError(`"${id}" is not a run id (like 20261126-173700-ab12cd); see convlab runs list`);
  return id;
}

function fmt(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(4);
  if (v === null || v === undefined) return '-';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function printRunTable(runs: RunManifest[]): void {
  const rows = runs.map((r) => [r.id, r.name, r.status, r.dataset.id, r.createdAt.slice(0, 19).replace('T', ' ')]);
  const header = ['ID', 'NAME', 'STATUS', 'DATASET', 'CREATED (UTC)'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
}

/** --filter, --sort and --columns, parsed by the query language the app's run table shares. */
function queryOf(filter: string | undefined, sort: string | undefined, columns: string | undefined) {
  try {
    const cols = columns?.split(',').map((c) => c.trim()).filter(Boolean);
    for (const c of cols ?? []) if (!FACT_KEYS.has(c)) throw new RunQueryError(`--columns: unknown column "${c}" (columns: ${[...FACT_KEYS].join(', ')})`);
    return { filter: parseRunFilter(filter ?? ''), sort: sort ? parseRunSort(sort) : null, columns: cols?.length ? cols : null };
  } catch (e) {
    if (e instanceof RunQueryError) throw new UsageError(e.message);
    throw e;
  }
}

function printFactTable(rows: Array<Record<string, FactValue>>, columns: string[]): void {
  const cells = rows.map((r) => columns.map((c) => fmt(r[c])));
  const widths = columns.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  for (const row of [columns.map((c) => c.toUpperCase()), ...cells]) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
}

function printRun(m: RunManifest, checkpoints: string[]): void {
  console.log(`${m.name} (${m.id})`);
  console.log(`  status       ${m.status}${m.endedAt ? `, ended ${m.endedAt}` : ''}`);
  console.log(`  dataset      ${m.dataset.name ?? m.dataset.id}`);
  console.log(`  seed         ${m.seed}`);
  console.log(`  model        ${m.modelSpec.split('\n').join(' ')}`);
  console.log(`  config       ${JSON.stringify(m.config)}`);
  for (const [k, v] of Object.entries(m.summary)) console.log(`  ${k.padEnd(12)} ${fmt(v)}`);
  console.log(`  checkpoints  ${checkpoints.length ? checkpoints.join(', ') : 'none'}`);
  if (m.tags.length) console.log(`  tags         ${m.tags.join(', ')}`);
  if (m.notes) console.log(`  notes        ${m.notes.split('\n').join('\n               ')}`);
}

function printComparison(c: RunComparison): void {
  c.runs.forEach((r, i) => console.log(`[${i + 1}] ${r.name} (${r.id}, ${r.status})`));
  console.log(c.configDiff.length ? '\nDifferences:' : '\nSame config, model, seed and dataset.');
  for (const d of c.configDiff) console.log(`  ${d.path}: ${d.values.map((v, i) => (d.missing[i] ? '(absent)' : fmt(v))).join(' | ')}`);
  console.log(`\nLast value by ${c.align} (${c.x.length} points):`);
  for (const metric of c.metrics) {
    const last = c.values.map((table) => [...table[metric]].reverse().find((v) => v !== null) ?? null);
    console.log(`  ${metric}: ${last.map(fmt).join(' | ')}`);
  }
  if (c.kernelTimes.labels.length) {
    console.log('\nMean kernel time per step (ms):');
    c.kernelTimes.labels.forEach((label, k) => console.log(`  ${label}: ${c.kernelTimes.meanMs.map((row) => fmt(row[k])).join(' | ')}`));
  }
}
