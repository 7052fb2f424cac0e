// `convlab runs list|show|compare|export|rm`: saved runs from a terminal, through the lab service.
// With --json the last line of stdout is exactly one JSON object.
import type { RunComparison } from '../../shared/labApi';
import { isRunId, type RunManifest } from '../../shared/runFormat';
import { commandHome } from '../home';
import { createLabService } from '../../main/services/labService';
import { RunStore } from '../../main/services/runStore';
import { pytorchProject, writeProject } from '../../main/services/runs/pytorch/exportProject';
import { packageVersion } from '../version';
import { booleanFlag, choiceFlag, expectPositionals, parseCommandArgs, stringFlag, UsageError, type FlagSpecs } from '../args';

const USAGE = `usage:
  convlab runs list [--json]
  convlab runs show ID [--json]
  convlab runs compare ID ID... [--align step|epoch|time] [--json]
  convlab runs export ID --format safetensors|onnx|csv --out FILE [--checkpoint NAME] [--kind step|epoch] [--force] [--json]
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
};

/** Flags each subcommand accepts beyond --home/--json/--help, so a misplaced one is refused. */
const ALLOWED: Record<string, string[]> = {
  list: [],
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
      const { runs, problems } = await service.runs.list();
      if (json) return out({ runs, problems });
      if (runs.length === 0) console.log('No runs yet. Train one with: convlab train');
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
      if (args.positionals.length < 2) throw new UsageError('give at least two run ids; usage: convlab runs compare ID ID... [--align step|epoch|time]');
      const align = choiceFlag(args, 'align', ['step', 'epoch', 'time'] as const) ?? 'step';
      const c = await service.runs.compare(args.positionals.map(checkedId), { align });
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
      const kind = choiceFlag(args, 'kind', ['step', 'epoch'] as const);
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
