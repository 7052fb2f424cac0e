// Which of the views is on screen. No router: the lab is one window with a fixed set of
// views, and a store is all the "routing" it needs (views can ask to switch, e.g. the Datasets
// view sending the user on to Model after an import). The last view is remembered per window
// session so a reload (or a dev hot reload) lands where the user was.

import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';

export const VIEWS = [
  { id: 'datasets', label: 'Datasets', hint: 'Import images and pick the training set' },
  { id: 'model', label: 'Model', hint: 'Build the network layer by layer' },
  { id: 'train', label: 'Train', hint: 'Train on the GPU and watch it learn' },
  { id: 'runs', label: 'Runs', hint: 'Saved runs: compare, export, clean up' },
  { id: 'inspect', label: 'Inspect', hint: 'One image through a trained model: maps, filters, gradients' },
  { id: 'kernels', label: 'Kernels', hint: 'Self-test the GPU kernels; step through im2col' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

const STORAGE_KEY = 'convlab.view';

function isViewId(value: unknown): value is ViewId {
  return VIEWS.some((v) => v.id === value);
}

function storedView(): ViewId {
  try {
    const value = typeof sessionStorage === 'undefined' ? null : sessionStorage.getItem(STORAGE_KEY);
    return isViewId(value) ? value : 'datasets';
  } catch {
    return 'datasets'; // storage can be disabled; the first view is a fine default
  }
}

/** An image to inspect: one of a dataset's images (by index), or a file's prepared pixels
 *  (uint8 CHW at the model's input size, from images.prepare). */
export type InspectImage =
  | { kind: 'dataset'; datasetId: string; index: number }
  | { kind: 'file'; name: string; pixels: Uint8Array };

/** What the run page asks Inspect to show: a run's checkpoint and one image. */
export interface InspectRequest {
  runId: string;
  checkpoint: string;
  image: InspectImage;
}

export const useNavigationStore = defineStore('navigation', () => {
  const view = ref<ViewId>(storedView());
  /** The newest inspect request (the Inspect view reads it); plain data, replaced whole. */
  const inspectRequest = shallowRef<InspectRequest | null>(null);
  /** Whether a view with id 'inspect' exists to take requests (its "Inspect" buttons show only then). */
  const canInspect = computed(() => VIEWS.some((v) => (v.id as string) === 'inspect'));

  function go(id: ViewId): void {
    view.value = id;
    try {
      sessionStorage?.setItem(STORAGE_KEY, id);
    } catch {
      // not remembering the view is harmless
    }
  }

  /** Moves by `delta` views with wrap-around: the arrow keys of the nav list use it. */
  function step(delta: number): ViewId {
    const i = VIEWS.findIndex((v) => v.id === view.value);
    const next = VIEWS[(i + delta + VIEWS.length) % VIEWS.length]!.id;
    go(next);
    return next;
  }

  /** Hands an image to the Inspect view and switches to it. */
  function inspect(request: InspectRequest): void {
    inspectRequest.value = request;
    const target = VIEWS.find((v) => (v.id as string) === 'inspect');
    if (target) go(target.id);
  }

  return { view, go, step, inspectRequest, canInspect, inspect };
});
