// Which of the five views is on screen. No router: the lab is one window with a fixed set of
// views, and a store is all the "routing" it needs (views can ask to switch, e.g. the Datasets
// view sending the user on to Model after an import). The last view is remembered per window
// session so a reload (or a dev hot reload) lands where the user was.

import { defineStore } from 'pinia';
import { ref } from 'vue';

export const VIEWS = [
  { id: 'datasets', label: 'Datasets', hint: 'Import images and pick the training set' },
  { id: 'model', label: 'Model', hint: 'Build the network layer by layer' },
  { id: 'train', label: 'Train', hint: 'Train on the GPU and watch it learn' },
  { id: 'runs', label: 'Runs', hint: 'Saved runs: compare, export, clean up' },
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

export const useNavigationStore = defineStore('navigation', () => {
  const view = ref<ViewId>(storedView());

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

  return { view, go, step };
});
