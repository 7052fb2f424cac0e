// `convlab inspect RUN IMAGE`: what a trained model makes of one image, module by module. The
// image is decoded and fitted with the run's recorded preprocessing (as convlab predict does),
// normalised on the device as in training, and run through the engine's inspection
// (src/engine/inspect): every module's output in evaluation mode and, with --grad, one backward
// pass for the gradient of a class score or of the loss for the image's true class.
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { loadModel, uploadImages } from '../../engine/eval/evaluate';
import { topClasses } from '../../engine/eval/metrics';
import { inspect } from '../../engine/inspect/inspect';
import { findModule, isModulePath, pathValue } from '../../engine/inspect/modulePath';
import { logitsOf, moduleView, moduleViews } from '../../engine/inspect/summary';
import type { GradTarget } from '../../engine/inspect/types';
import { prepareImageFiles } from '../../main/services/images/prepareImages';
import { RunStore } from '../../main/services/runStore';
import { loadRunModel } from '../../main/services/runs/runModel';
import { booleanFlag, choiceFlag, expectPositionals, parseCommandArgs, stringFlag, UsageError } from '../args';
import { commandHome } from '../home';
import { type OutDirHeader, prepareOutDir, writeOutDir } from '../inspect/outDir';
import { openBackend } from '../openBackend';

const USAGE = `usage: convlab inspect RUN IMAGE [--checkpoint NAME] [--layer I] [--grad CLASS|true] [--out DIR] [--json]

Runs one image (PNG, JPEG, BMP, WebP; fitted with the run's preprocessing) through the run's model
in evaluation mode and prints the top classes and every module's output shape and range.

  --checkpoint NAME  a checkpoint of the run (default: best, else the newest)
  --layer I          one module: its nn.Sequential index (0, 1, …); inside a residual block its
                     state_dict path, e.g. 4.body.0 or 4.shortcut.1. With --json the last line
                     is {"run_id", "checkpoint", "layer", "type", "shape", "data"} (+ "grad")
  --grad CLASS|true  also d(score of CLASS)/d(every output): a class name or index; true: the
                     gradient of the loss for the image's true class, the name of its folder
  --out DIR          write each module's activation grid, each conv layer's filters, the input
                     and the saliency map as PNG, with index.json (DIR must be new or empty)
  --force            write into a non-empty --out DIR
  --home DIR         data folder (default: CONVLAB_HOME, else the app's per-user folder)
  --backend B        webgpu (default) or cpu
  --json             print the result as one JSON object on the last line`;

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, {
    checkpoint: { type: 'string' }, layer: { type: 'string' }, grad: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' },
    home: { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  });
  if (booleanFlag(args, 'help')) {
    console.log(USAGE);
    return 0;
  }
  const [runId, image] = expectPositionals(args.positionals, ['RUN', 'IMAGE'], 'convlab inspect RUN IMAGE [--layer I] [--grad CLASS|true] [--out DIR] [--json]') as [string, string];
  const json = booleanFlag(args, 'json');
  const backend = choiceFlag(args, 'backend', ['webgpu', 'cpu'] as const) ?? 'webgpu';
  const layer = stringFlag(args, 'layer');
  if (layer !== undefined && !isModulePath(layer)) throw new UsageError(`--layer must be a module index such as 3, or a path inside a residual block such as 4.body.0; got ${JSON.stringify(layer)}`);
  const gradArg = stringFlag(args, 'grad');
  if (gradArg !== undefined && gradArg.trim() === '') throw new UsageError('--grad needs a class name or index, or true');
  const out = stringFlag(args, 'out');
  const home = await commandHome(stringFlag(args, 'home'));

  const model = await loadRunModel(new RunStore(home), runId, stringFlag(args, 'checkpoint'));
  if (model.preprocessingNote && !json) console.error(`note: ${model.preprocessingNote}`);
  const classes = model.preprocessing.classes;
  const isFile = await stat(image).then((s) => s.isFile(), () => false);
  if (!isFile) throw new Error(`${image}: no such image file (give one PNG, JPEG, BMP or WebP file)`);
  const prepared = await prepareImageFiles([image], model.preprocessing, { workers: 1 });
  if (prepared.files.length === 0) throw new Error(`cannot read ${image}: ${prepared.skipped[0]?.reason ?? 'not an image'}`);
  const target = gradArg === undefined ? null : gradTarget(gradArg, classes, image);
  if (out !== undefined) await prepareOutDir(out, booleanFlag(args, 'force'));

  const { be, gpu, description } = await openBackend(backend, home);
  if (!json && gpu) console.error(description);
  let net;
  try {
    net = loadModel(be, model.spec, model.weights);
  } catch (e) {
    throw new Error(`checkpoint '${model.checkpoint}' does not fit the run's model: ${(e as Error).message}`, { cause: e });
  }
  const [channels, height, width] = model.preprocessing.input;
  const source = uploadImages(be, { images: prepared.pixels, channels, height, width, mean: model.preprocessing.mean, std: model.preprocessing.std });
  const inspection = await inspect(be, net, source, 1, target);
  be.release(source.images);
  const top = topClasses(logitsOf(inspection, 0), classes, Math.min(5, classes.length));
  const gradLabel = target === null ? null : target.kind === 'class' ? { class: classes[target.classes[0]!]! } : { loss_for: classes[target.labels[0]!]! };

  if (layer !== undefined) {
    const view = moduleView(findModule(inspection, layer), 0);
    if (out !== undefined) await writeOutDir(out, header(), inspection, moduleViews(inspection, 0));
    if (json) {
      const result: Record<string, unknown> = { run_id: model.manifest.id, checkpoint: model.checkpoint, layer: pathValue(view.path), type: view.type, shape: view.shape, data: Array.from(view.data) };
      if (view.grad) result.grad = Array.from(view.grad);
      console.log(JSON.stringify(result));
    } else {
      console.log(`run ${model.manifest.id}, checkpoint ${model.checkpoint}, layer ${view.path} ${view.type}: shape [${view.shape.join(', ')}], min ${fmt(view.min)}, max ${fmt(view.max)}, mean ${fmt(view.mean)}${view.gradNorm === null ? '' : `, |grad| ${fmt(view.gradNorm)}`}`);
    }
    return 0;
  }

  const views = moduleViews(inspection, 0);
  const written = out !== undefined ? await writeOutDir(out, header(), inspection, views) : null;
  if (json) {
    console.log(JSON.stringify({
      run_id: model.manifest.id, checkpoint: model.checkpoint, image: prepared.files[0], top, grad: gradLabel,
      layers: views.map((v) => ({ layer: pathValue(v.path), type: v.type, shape: v.shape, min: v.min, max: v.max, mean: v.mean, grad_norm: v.gradNorm })),
      ...(written ? { out: resolve(out!), files: written } : {}),
    }));
    return 0;
  }
  console.log(`run ${model.manifest.id}, checkpoint ${model.checkpoint}: ${prepared.files[0]}`);
  console.log(`top: ${top.map((t) => `${t.class} ${(100 * t.probability).toFixed(1)}%`).join(', ')}`);
  if (gradLabel) console.log(`gradients of ${'class' in gradLabel ? `the score of ${gradLabel.class}` : `the loss for ${gradLabel.loss_for}`}`);
  console.log(['layer'.padEnd(14), 'type'.padEnd(20), 'shape'.padEnd(14), 'min'.padStart(10), 'max'.padStart(10), 'mean'.padStart(10), ...(target ? ['|grad|'.padStart(10)] : [])].join(' '));
  for (const v of views) {
    const cells = [v.path.padEnd(14), v.type.padEnd(20), v.shape.join('×').padEnd(14), fmt(v.min).padStart(10), fmt(v.max).padStart(10), fmt(v.mean).padStart(10)];
    if (v.gradNorm !== null) cells.push(fmt(v.gradNorm).padStart(10));
    console.log(cells.join(' '));
  }
  if (written) console.log(`wrote ${written.length} files to ${resolve(out!)}`);
  return 0;

  function header(): OutDirHeader {
    return { run_id: model.manifest.id, checkpoint: model.checkpoint, image: prepared.files[0]!, top, grad: gradLabel };
  }
}

/** --grad CLASS (a class name, else an index) or --grad true (the class named by the image's folder). */
function gradTarget(value: string, classes: readonly string[], image: string): GradTarget {
  if (value === 'true') {
    const folder = basename(dirname(resolve(image)));
    const label = classes.indexOf(folder);
    if (label < 0) {
      throw new Error(`--grad true takes the image's true class from the folder it is in, and "${folder}" is not one of the model's classes (${classes.slice(0, 10).join(', ')}${classes.length > 10 ? ', …' : ''}); put the image in a folder named after its class, or name the class with --grad CLASS`);
    }
    return { kind: 'loss', labels: [label] };
  }
  const byName = classes.indexOf(value);
  if (byName >= 0) return { kind: 'class', classes: [byName] };
  if (/^\d+$/.test(value) && Number(value) < classes.length) return { kind: 'class', classes: [Number(value)] };
  throw new UsageError(`--grad ${JSON.stringify(value)} is neither true nor one of the model's classes (${classes.map((c, i) => `${i} ${c}`).slice(0, 12).join(', ')}${classes.length > 12 ? ', …' : ''})`);
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : v.toFixed(4);
}
