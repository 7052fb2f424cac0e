// `convlab datasets import|list|show|rm|rename`: the dataset store from a terminal, through the same
// lab service the app uses. With --json the last line of stdout is exactly one JSON object.
import { isDatasetId, type DatasetManifest } from '../../shared/datasetFormat';
import type { ImportOutcome } from '../../shared/labApi';
import { commandHome } from '../home';
import { classifyImportPaths } from '../../main/services/importSources';
import { createLabService, type LabService } from '../../main/services/labService';
import {
  booleanFlag,
  choiceFlag,
  expectPositionals,
  numberFlag,
  parseCommandArgs,
  stringFlag,
  UsageError,
  type FlagSpecs,
} from '../args';
import { createProgress } from '../progress';

const USAGE = `usage:
  convlab datasets import PATH... [--name N] [--size S] [--channels 1|3] [--fit resize|center-crop|pad]
                                  [--val F] [--seed S] [--labels FILE] [--json]
      PATH: a folder with one subfolder per class (PNG, JPEG, BMP, WebP), a folder of MNIST IDX
      files (MNIST/raw: every images/labels pair into one dataset), an IDX images file (its labels
      file is found beside it, or give --labels), or CIFAR-10 .bin batches (several allowed)
  convlab datasets list [--json]
  convlab datasets show ID [--json]
  convlab datasets rename ID NAME [--json]
  convlab datasets rm ID
All take --home DIR (default: $CONVLAB_HOME, else Conv Lab's per-user folder).`;

const COMMON: FlagSpecs = { home: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };
const IMPORT: FlagSpecs = {
  ...COMMON,
  name: { type: 'string' },
  size: { type: 'string' },
  channels: { type: 'string' },
  fit: { type: 'string' },
  val: { type: 'string' },
  seed: { type: 'string' },
  labels: { type: 'string' },
  workers: { type: 'string' },
};

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    console.log(USAGE);
    return sub === undefined ? 2 : 0;
  }
  const args = parseCommandArgs(rest, sub === 'import' ? IMPORT : COMMON);
  if (booleanFlag(args, 'help')) {
    console.log(USAGE);
    return 0;
  }
  const json = booleanFlag(args, 'json');
  const home = await commandHome(stringFlag(args, 'home'));
  const progress = createProgress(process.stderr, 'importing');
  const service = createLabService({
    home,
    workers: numberFlag(args, 'workers', { integer: true, min: 1, max: 32 }),
    emit: (channel, payload) => {
      if (channel === 'datasets.importProgress' && !json) {
        const p = payload as { done: number; total: number; skipped: number };
        progress.update(p.done, p.total, p.skipped);
      }
    },
  });

  switch (sub) {
    case 'import':
      return importCommand(service, args, json, () => progress.finish());
    case 'list': {
      expectPositionals(args.positionals, [], 'convlab datasets list');
      const { datasets, problems } = await service.datasets.list();
      if (json) return printJson({ datasets, problems });
      if (datasets.length === 0) console.log(`No datasets in ${home}. Import one with: convlab datasets import PATH`);
      else printTable(datasets);
      for (const p of problems) console.log(`! ${p.id}: ${p.reason}`);
      return 0;
    }
    case 'show': {
      const [id] = expectPositionals(args.positionals, ['ID'], 'convlab datasets show ID');
      const d = await service.datasets.get(checkedId(id));
      if (json) return printJson(d);
      printDetails(d);
      return 0;
    }
    case 'rename': {
      const [id, name] = expectPositionals(args.positionals, ['ID', 'NAME'], 'convlab datasets rename ID NAME');
      const d = await service.datasets.rename(checkedId(id), name);
      if (json) return printJson(d);
      console.log(`Renamed ${d.id} to "${d.name}"`);
      return 0;
    }
    case 'rm': {
      const [id] = expectPositionals(args.positionals, ['ID'], 'convlab datasets rm ID');
      await service.datasets.delete(checkedId(id));
      if (json) return printJson({ deleted: id });
      console.log(`Deleted dataset ${id}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown subcommand "${sub}"; use import, list, show, rename or rm`);
  }
}

function checkedId(id: string): string {
  if (!isDatasetId(id)) {
    throw new UsageError(`"${id}" is not a dataset id (like ds-20261126-173700-ab12); see convlab datasets list`);
  }
  return id;
}

async function importCommand(service: LabService, args: ReturnType<typeof parseCommandArgs>, json: boolean, endProgress: () => void): Promise<number> {
  if (args.positionals.length === 0) throw new UsageError('missing PATH; usage: convlab datasets import PATH [options]');
  const channels = numberFlag(args, 'channels', { integer: true, min: 1, max: 3 });
  if (channels === 2) throw new UsageError('--channels must be 1 (grayscale) or 3 (RGB)');
  const common = {
    importId: 'cli',
    name: stringFlag(args, 'name'),
    valFraction: numberFlag(args, 'val', { min: 0, max: 1, maxExclusive: true }),
    seed: numberFlag(args, 'seed', { integer: true }),
  };
  const imageOptions = {
    size: numberFlag(args, 'size', { integer: true, min: 1, max: 1024 }),
    channels: channels as 1 | 3 | undefined,
    fit: choiceFlag(args, 'fit', ['resize', 'center-crop', 'pad'] as const),
  };
  const source = await classifyImportPaths(args.positionals, { labels: stringFlag(args, 'labels') });
  if (source.kind !== 'folder' && Object.values(imageOptions).some((v) => v !== undefined)) {
    throw new UsageError('--size, --channels and --fit apply to image folders only; IDX and CIFAR-10 keep their stored size');
  }
  // Ctrl-C stops the import cleanly (nothing half-written is left) instead of killing it mid-file.
  const onSigint = () => service.cancelAll();
  process.once('SIGINT', onSigint);
  let outcome: ImportOutcome | null;
  try {
    if (source.kind === 'folder') outcome = await service.datasets.importFolder({ ...common, ...imageOptions, path: source.path });
    // A folder of IDX files goes through the folder import, which pairs and imports them all.
    else if (source.kind === 'idx' && source.folder !== undefined) outcome = await service.datasets.importFolder({ ...common, path: source.folder });
    else if (source.kind === 'idx') outcome = await service.datasets.importIdx({ ...common, images: source.images, labels: source.labels });
    else outcome = await service.datasets.importCifar10({ ...common, files: source.files });
  } finally {
    process.off('SIGINT', onSigint);
    endProgress();
  }
  const { dataset: d, imported, skipped } = outcome!;
  if (json) {
    const counts = Object.fromEntries(d.classes.map((c, i) => [c, d.classCounts[i]]));
    return printJson({ id: d.id, name: d.name, classes: d.classes, counts, imported, skipped, train: d.split.train, val: d.split.val });
  }
  console.log(`Imported ${imported} images into "${d.name}" (${d.id}): ${d.classes.length} classes, ${d.split.train} train / ${d.split.val} validation, ${d.channels}×${d.height}×${d.width}`);
  if (skipped.length > 0) {
    console.log(`Skipped ${skipped.length} file${skipped.length === 1 ? '' : 's'}:`);
    for (const s of skipped.slice(0, 20)) console.log(`  ${s.file}: ${s.reason}`);
    if (skipped.length > 20) console.log(`  … and ${skipped.length - 20} more (see --json)`);
  }
  return 0;
}

function printJson(value: unknown): number {
  console.log(JSON.stringify(value));
  return 0;
}

function printTable(datasets: DatasetManifest[]): void {
  const rows = datasets.map((d) => [d.id, d.name, String(d.classes.length), String(d.count), `${d.channels}×${d.height}×${d.width}`, d.createdAt.slice(0, 19).replace('T', ' ')]);
  const header = ['ID', 'NAME', 'CLASSES', 'IMAGES', 'SHAPE', 'CREATED (UTC)'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
}

function printDetails(d: DatasetManifest): void {
  console.log(`${d.name} (${d.id})`);
  console.log(`  source   ${d.source.kind}${d.source.path ? ` ${d.source.path}` : ''}`);
  console.log(`  images   ${d.count}, ${d.channels}×${d.height}×${d.width}, ${d.split.train} train / ${d.split.val} validation (seed ${d.split.seed})`);
  console.log(`  created  ${d.createdAt}`);
  console.log('  classes');
  d.classes.forEach((c, i) => console.log(`    ${String(i).padStart(3)}  ${c}  (${d.classCounts[i]})`));
  if (d.report.skipped.length > 0) console.log(`  skipped at import: ${d.report.skipped.length} files`);
}
