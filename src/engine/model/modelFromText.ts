// A model as a person names it: a preset id (sized to the dataset's images and classes) or the
// compact text form. One place, for `convlab train` and `sweep`, the sweep service, the app's
// sweep form and its worker job.
import { parseText } from './parseText';
import { MODEL_PRESETS, presetSpec } from './presets';
import type { InputShape, ModelSpec } from './spec';

export function modelFromText(text: string, input: InputShape, classes: number): ModelSpec {
  if (MODEL_PRESETS.some((p) => p.id === text)) return presetSpec(text, input, classes);
  return parseText(text, input);
}
