// The model being built: its layers (canonical LayerSpecs), the input shape of the selected
// dataset, and the batch size the GEMM sizes are shown for. Everything derived (shapes, params,
// FLOPs, GEMMs, text form, canonical JSON) is computed from those.
//
// Edits never lose what the user typed: a layer value that does not build (LayerValueError)
// or text that does not parse is reported back and the model stays as it was; a model that
// builds but does not fit (ModelShapeError) is kept, and the error shows at its layer.

import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import {
  MODEL_PRESETS, buildLayer, canonicalJson, formatText, parseJson, parseTextLayers, presetSpec, presetText,
  type InputShape, type LayerInit, type LayerSpec, type LayerType, type ModelSpec,
} from '../../../engine/model';
import { analyseModel, defaultLayer, modelSpec } from '../components/model/analysis';
import { useDatasetsStore } from './datasets';

const STORAGE_KEY = 'convlab.model';
const REFERENCE = MODEL_PRESETS[0]!;

function initialLayers(): { layers: LayerSpec[]; presetId: string | null } {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved) return { layers: parseJson(saved).layers, presetId: null };
  } catch {
    // no storage, or a model saved by an older version that no longer parses: start fresh
  }
  return { layers: parseTextLayers(REFERENCE.text).map(buildLayer), presetId: REFERENCE.id };
}

/** Moves an item by `delta` places; out-of-range moves leave the list as it is. */
export function moved<T>(list: readonly T[], index: number, delta: number): T[] {
  const to = index + delta;
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return [...list];
  const copy = [...list];
  const [item] = copy.splice(index, 1);
  copy.splice(to, 0, item!);
  return copy;
}

export const useModelStore = defineStore('model', () => {
  const start = initialLayers();
  const layers = ref<LayerSpec[]>(start.layers);
  const presetId = ref<string | null>(start.presetId);
  const input = ref<InputShape>([...REFERENCE.input]);
  const batch = ref(64);

  const analysis = computed(() => analyseModel(input.value, layers.value, batch.value));
  const valid = computed(() => analysis.value.error === null);
  /** The canonical spec (input from the dataset); only meaningful while `valid`. */
  const spec = computed<ModelSpec>(() => modelSpec(input.value, layers.value));
  const text = computed(() => formatText(spec.value));
  const canonical = computed(() => (layers.value.length > 0 ? canonicalJson(spec.value) : ''));

  // The model follows the dataset chosen for training: its images are the model's input, and a
  // preset still as loaded is rebuilt for its class count.
  const datasets = useDatasetsStore();
  const classes = computed(() => datasets.selected?.classes.length ?? 10);
  watch(
    () => datasets.selected,
    (d) => {
      if (!d) return;
      input.value = [d.channels, d.height, d.width];
      if (presetId.value !== null) loadPreset(presetId.value);
    },
    { immediate: true },
  );

  watch(canonical, (json) => {
    try {
      if (json) localStorage.setItem(STORAGE_KEY, json);
    } catch {
      // storage full or disabled: the model still works for this session
    }
  });

  function setLayers(next: LayerSpec[]): void {
    layers.value = next;
    presetId.value = null;
  }

  /** The preset for the selected dataset: its input shape and class count. A preset that does
   *  not fit the images (too small for its pooling) is still loaded, and its first misfit layer
   *  shows the shape error as for any model. */
  function loadPreset(id: string): void {
    const preset = MODEL_PRESETS.find((p) => p.id === id);
    if (!preset) throw new Error(`Unknown preset "${id}"`);
    try {
      layers.value = presetSpec(id, input.value, classes.value).layers;
    } catch {
      layers.value = parseTextLayers(presetText(preset, classes.value)).map(buildLayer);
    }
    presetId.value = id;
  }

  /** Parses the compact text form; returns the error message (with its column), or null. */
  function setText(source: string): string | null {
    try {
      setLayers(parseTextLayers(source).map(buildLayer));
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  }

  function addLayer(type: LayerType, at = layers.value.length): void {
    const next = [...layers.value];
    next.splice(at, 0, defaultLayer(type));
    setLayers(next);
  }

  function removeLayer(index: number): void {
    setLayers(layers.value.filter((_, i) => i !== index));
  }

  function moveLayer(index: number, delta: number): void {
    setLayers(moved(layers.value, index, delta));
  }

  /** Rebuilds one layer from edited values; returns the reason it does not build, or null. */
  function updateLayer(index: number, init: LayerInit | LayerSpec): string | null {
    try {
      const layer = buildLayer(init);
      setLayers(layers.value.map((l, i) => (i === index ? layer : l)));
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  }

  return {
    layers, presetId, input, batch, analysis, valid, spec, text, canonical,
    loadPreset, setText, addLayer, removeLayer, moveLayer, updateLayer,
  };
});
