// The LabApi's `sweeps` domain over the sweep store: what the app's Train view queues and the
// Runs view lists. A sweep is made here, checked the way `convlab sweep` checks one (the engine's
// spec parser, its sweepable keys, every run's settings against the dataset) and stored; nothing
// is trained here: the GPU worker's sweep job runs it with the engine's runSweep, asking
// sweeps.get and sweeps.runs where it stands, so a stopped or interrupted sweep resumes in place.
import { parseJson } from '../../../engine/model/parseJson';
import { modelFromText } from '../../../engine/model/modelFromText';
import type { ModelSpec } from '../../../engine/model/spec';
import { augmentDataProblem, augmentProblem, type AugmentSpec } from '../../../engine/train/augment';
import { checkSweepKeys } from '../../../engine/train/sweep/overrides';
import { sweepConfigs } from '../../../engine/train/sweep/sweepRunner';
import { expandSweep, parseSweepJson } from '../../../engine/train/sweep/sweepSpec';
import type { TrainConfig } from '../../../engine/train/types';
import type { SweepBaseRequest, SweepRunState, SweepsDomain, SweepSummary } from '../../../shared/labApi';
import type { RunManifest } from '../../../shared/runFormat';
import type { SweepRecord } from '../../../shared/sweepFormat';
import { loadDataset } from '../datasets';
import type { RunScan, RunStore } from '../runStore';
import { SweepStore, sweepRuns } from './sweepStore';

/** Run statuses a sweep counts as done (a stopped or interrupted run is resumed). */
const ENDED = new Set(['completed', 'diverged', 'failed']);

/** A model as a sweep names it: a preset id (sized to the dataset) or model text. */
export function resolveSweepModel(text: string, input: [number, number, number], classes: number): ModelSpec {
  return modelFromText(text, input, classes);
}

export function createSweepsApi(home: string, store: RunStore, opts: { dataRoot?: string } = {}): SweepsDomain {
  const sweeps = new SweepStore(home);

  /** The runs of a sweep, by index, from one scan of the run store (sweepRuns' own rule). */
  const runsIn = (scan: RunScan, id: string): Promise<Map<number, RunManifest>> =>
    sweepRuns({ scan: async () => scan } as Pick<RunStore, 'scan'> as RunStore, id);

  return {
    async create(spec: unknown, base: SweepBaseRequest): Promise<SweepRecord> {
      const parsed = parseSweepJson(spec, 'sweep');
      checkSweepKeys(Object.keys(parsed.parameters));
      const data = await loadDataset(home, base.data, { dataRoot: opts.dataRoot });
      const config = { ...base.config, spec: parseJson(base.config.spec) } as unknown as TrainConfig;
      const augmentIssue = config.augment ? augmentProblem(config.augment) ?? augmentDataProblem(config.augment as AugmentSpec, data) : null;
      if (augmentIssue) throw new Error(`augmentation: ${augmentIssue}`);
      const record: Omit<SweepRecord, 'formatVersion' | 'id' | 'createdAt'> = {
        name: base.name ?? `sweep of ${Object.keys(parsed.parameters).join(', ')}`,
        spec: parsed,
        base: { data: data.id, model: base.model, config: config as unknown as SweepRecord['base']['config'], convAlgorithm: base.convAlgorithm, backend: 'webgpu' },
        runs: expandSweep(parsed).map((params, index) => ({ index, params })),
      };
      // Every run's settings, checked before the sweep is stored (the runner checks them again).
      const input: [number, number, number] = [data.channels, data.height, data.width];
      sweepConfigs({ ...record, formatVersion: 1, id: 'sw-00000000-000000-0000', createdAt: '' }, {
        data, resolveModel: (text) => resolveSweepModel(text, input, data.classes.length),
      });
      return sweeps.create(record);
    },

    async list(): Promise<SweepSummary[]> {
      const [all, scan] = await Promise.all([sweeps.list(), store.scan()]);
      const out: SweepSummary[] = [];
      for (const s of all) {
        const runs = [...(await runsIn(scan, s.id)).values()];
        const spec = s.spec as { parameters?: Record<string, unknown> } | null;
        out.push({
          id: s.id, name: s.name, createdAt: s.createdAt, parameters: Object.keys(spec?.parameters ?? {}), total: s.runs.length,
          done: runs.filter((r) => ENDED.has(r.status)).length, running: runs.filter((r) => r.status === 'running').length,
        });
      }
      return out;
    },

    get: (id) => sweeps.get(id),

    async runs(id): Promise<SweepRunState[]> {
      await sweeps.get(id); // an unknown sweep is an error, not an empty list
      const byIndex = await runsIn(await store.scan(), id);
      return [...byIndex].sort((a, b) => a[0] - b[0]).map(([index, m]) => ({ index, id: m.id, status: m.status }));
    },
  };
}
