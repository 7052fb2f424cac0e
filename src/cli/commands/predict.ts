// `convlab predict RUN FILE_OR_FOLDER...`: what a trained model says about new images. Each image
// is decoded and fitted with the run's recorded preprocessing (any size, grey or colour), then the
// engine's evaluation-mode forward gives the top classes. Unreadable files are skipped with their
// reason; nothing here crashes on a bad file.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadModel, predict } from '../../engine/eval/evaluate';
import { commandHome } from '../home';
import { prepareImageFiles } from '../../main/services/images/prepareImages';
import { RunStore } from '../../main/services/runStore';
import { loadRunModel } from '../../main/services/runs/runModel';
import { booleanFlag, choiceFlag, numberFlag, parseCommandArgs, stringFlag, UsageError } from '../args';
import { openBackend } from '../openBackend';

const USAGE = `usage: convlab predict RUN FILE_OR_FOLDER... [--checkpoint NAME] [--top K] [--csv OUT] [--json]

Prints each image's top classes with their probabilities. A folder is walked for images
(PNG, JPEG, BMP, WebP); other files are listed as skipped, with the reason.

  --checkpoint NAME  a checkpoint of the run (default: best, else the newest)
  --top K            classes per image (default 3, at most the class count)
  --csv OUT          also write file,predicted,probability and one probability column per class
  --force            replace the --csv file if it exists
  --home DIR         data folder (default: CONVLAB_HOME, else the app's per-user folder)
  --backend B        webgpu (default) or cpu
  --json             print the result as one JSON object on the last line`;

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, {
    checkpoint: { type: 'string' }, top: { type: 'string' }, csv: { type: 'string' }, force: { type: 'boolean' },
    home: { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  });
  if (booleanFlag(args, 'help')) {
    console.log(USAGE);
    return 0;
  }
  const [runId, ...inputs] = args.positionals;
  if (runId === undefined || inputs.length === 0) throw new UsageError('give a run and at least one image or folder; usage: convlab predict RUN FILE_OR_FOLDER... [--top K] [--json]');
  const json = booleanFlag(args, 'json');
  const backend = choiceFlag(args, 'backend', ['webgpu', 'cpu'] as const) ?? 'webgpu';
  const top = numberFlag(args, 'top', { integer: true, min: 1, max: 256 }) ?? 3;
  const csv = stringFlag(args, 'csv');
  if (csv !== undefined && existsSync(csv) && !booleanFlag(args, 'force')) throw new Error(`${resolve(csv)} already exists; choose another file or pass --force`);
  const home = await commandHome(stringFlag(args, 'home'));

  const model = await loadRunModel(new RunStore(home), runId, stringFlag(args, 'checkpoint'));
  if (model.preprocessingNote && !json) console.error(`note: ${model.preprocessingNote}`);
  const prepared = await prepareImageFiles(inputs, model.preprocessing);
  if (prepared.files.length === 0) {
    const why = prepared.skipped.length ? `${prepared.skipped.length} skipped, e.g. ${prepared.skipped[0]!.file}: ${prepared.skipped[0]!.reason}` : 'the folders hold no image files';
    throw new Error(`no image could be read (${why})`);
  }
  const { be, gpu, description } = await openBackend(backend, home);
  if (!json && gpu) console.error(description);
  let net;
  try {
    net = loadModel(be, model.spec, model.weights);
  } catch (e) {
    throw new Error(`checkpoint '${model.checkpoint}' does not fit the run's model: ${(e as Error).message}`, { cause: e });
  }
  const classes = model.preprocessing.classes;
  const all = await predict(be, net, prepared.pixels, model.preprocessing, classes.length);
  const predictions = prepared.files.map((file, i) => ({ file, top: all[i]!.top.slice(0, top), logits: all[i]!.logits }));

  if (csv !== undefined) {
    const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const lines = [['file', 'predicted', 'probability', ...classes].map(quote).join(',')];
    prepared.files.forEach((file, i) => {
      const byClass = new Map(all[i]!.top.map((t) => [t.class, t.probability]));
      const best = all[i]!.top[0]!;
      lines.push([quote(file), quote(best.class), String(best.probability), ...classes.map((c) => String(byClass.get(c) ?? 0))].join(','));
    });
    await writeFile(csv, `${lines.join('\n')}\n`);
  }
  if (json) {
    console.log(JSON.stringify({ run_id: model.manifest.id, checkpoint: model.checkpoint, classes, predictions, skipped: prepared.skipped }));
  } else {
    console.log(`run ${model.manifest.id}, checkpoint ${model.checkpoint}: ${predictions.length} image${predictions.length === 1 ? '' : 's'}`);
    for (const p of predictions) console.log(`${p.file}: ${p.top.map((t) => `${t.class} ${(100 * t.probability).toFixed(1)}%`).join(', ')}`);
    for (const s of prepared.skipped) console.log(`skipped ${s.file}: ${s.reason}`);
    if (csv !== undefined) console.log(`wrote ${resolve(csv)}`);
  }
  return 0;
}
