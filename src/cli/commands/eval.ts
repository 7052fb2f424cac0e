// `convlab eval RUN`: how good a trained model is, per class, on its validation split or any set
// with the same classes — the engine's evaluation (src/engine/eval), batched on the GPU. The
// report is stored with the run (evaluations/<name>.json), so the app shows it too.
import type { EvaluationReport } from '../../shared/evaluation';
import { evaluationName } from '../../shared/evaluation';
import { evaluate, loadModel, uploadImages } from '../../engine/eval/evaluate';
import { loadEvalData } from '../../main/services/evalData';
import { commandHome } from '../home';
import { RunStore } from '../../main/services/runStore';
import { loadRunModel } from '../../main/services/runs/runModel';
import { booleanFlag, choiceFlag, expectPositionals, parseCommandArgs, stringFlag } from '../args';
import { openBackend } from '../openBackend';
import { createProgress } from '../progress';

const USAGE = `usage: convlab eval RUN [--checkpoint NAME] [--data DATASET_ID | PATH] [--json]

Evaluates a run's checkpoint (default: best, else the newest) on its validation split, or on a
stored dataset (all of it), an image folder with one subfolder per class, MNIST IDX files or
CIFAR-10 batches with the same classes (matched by name). Prints accuracy, mean loss, top-5
accuracy (more than 5 classes), per-class precision/recall/F1/support, the confusion matrix
(rows: true class, columns: predicted) and the most confused pairs; stores the report in the run.

  --checkpoint NAME  a checkpoint of the run (convlab runs show RUN lists them)
  --data D           what to evaluate on (default: the run's validation split)
  --home DIR         data folder (default: CONVLAB_HOME, else the app's per-user folder)
  --backend B        webgpu (default) or cpu
  --json             print the result as one JSON object on the last line`;

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, {
    checkpoint: { type: 'string' }, data: { type: 'string' }, home: { type: 'string' }, backend: { type: 'string' },
    json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  });
  if (booleanFlag(args, 'help')) {
    console.log(USAGE);
    return 0;
  }
  const [runId] = expectPositionals(args.positionals, ['RUN'], 'convlab eval RUN [--checkpoint NAME] [--data D] [--json]');
  const json = booleanFlag(args, 'json');
  const backend = choiceFlag(args, 'backend', ['webgpu', 'cpu'] as const) ?? 'webgpu';
  const home = await commandHome(stringFlag(args, 'home'));
  const store = new RunStore(home);

  const model = await loadRunModel(store, runId!, stringFlag(args, 'checkpoint'));
  if (model.preprocessingNote && !json) console.error(`note: ${model.preprocessingNote}`);
  const data = await loadEvalData(home, { datasetId: model.manifest.dataset.id, preprocessing: model.preprocessing }, stringFlag(args, 'data'));
  if (!json) {
    if (data.note) console.error(`note: ${data.note}`);
    if (data.skipped.length) console.error(`skipped ${data.skipped.length} files (e.g. ${data.skipped[0]!.file}: ${data.skipped[0]!.reason})`);
  }
  const { be, gpu, description } = await openBackend(backend, home);
  if (!json && gpu) console.error(description);
  const net = fitted(() => loadModel(be, model.spec, model.weights), model.checkpoint);
  const [channels, height, width] = model.preprocessing.input;
  const source = uploadImages(be, { images: data.images, channels, height, width, mean: model.preprocessing.mean, std: model.preprocessing.std });
  const progress = json ? null : createProgress(process.stderr, 'evaluated');
  const report = await evaluate(be, {
    model: net, source, labels: data.labels, indices: data.indices, classes: model.preprocessing.classes,
    runId: model.manifest.id, checkpoint: model.checkpoint, dataset: { id: data.id, name: data.name, split: data.split },
  }, { onProgress: (done, total) => progress?.update(done, total) });
  progress?.finish();
  const name = evaluationName(data.id, data.split, model.checkpoint);
  await store.saveEvaluation(model.manifest.id, name, report);

  if (json) {
    console.log(JSON.stringify({
      run_id: report.runId, checkpoint: report.checkpoint, dataset: data.id, n: report.n, accuracy: report.accuracy, loss: report.loss,
      classes: report.classes, per_class: report.perClass, confusion: report.confusion,
    }));
  } else {
    printReport(report, name);
  }
  return 0;
}

/** Loading weights that do not fit the model is a message about the checkpoint, not a stack. */
function fitted<T>(load: () => T, checkpoint: string): T {
  try {
    return load();
  } catch (e) {
    throw new Error(`checkpoint '${checkpoint}' does not fit the run's model: ${(e as Error).message}`, { cause: e });
  }
}

function printReport(r: EvaluationReport, name: string): void {
  const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
  console.log(`run ${r.runId}, checkpoint ${r.checkpoint}, ${r.dataset.name} (${r.dataset.split === 'validation' ? 'validation split' : 'all images'}): ${r.n} images`);
  console.log(`accuracy ${pct(r.accuracy)}  loss ${r.loss.toFixed(4)}${r.topK ? `  top-${r.topK.k} ${pct(r.topK.accuracy)}` : ''}`);
  const width = Math.max(5, ...r.classes.map((c) => c.length));
  console.log(`\n${'class'.padEnd(width)}  precision  recall     f1  support`);
  for (const c of r.perClass) {
    console.log(`${c.class.padEnd(width)}  ${pct(c.precision).padStart(9)}  ${pct(c.recall).padStart(6)}  ${pct(c.f1).padStart(6)}  ${String(c.support).padStart(7)}`);
  }
  const pairs: Array<[number, number, number]> = [];
  r.confusion.forEach((row, t) => row.forEach((count, p) => t !== p && count > 0 && pairs.push([count, t, p])));
  pairs.sort((a, b) => b[0] - a[0]);
  if (pairs.length) {
    console.log('\nmost confused (true → predicted):');
    for (const [count, t, p] of pairs.slice(0, 5)) console.log(`  ${r.classes[t]} → ${r.classes[p]}: ${count}`);
  }
  console.log(`\nstored as evaluation ${name} of run ${r.runId}`);
}
