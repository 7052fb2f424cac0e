// Public surface of the model-spec layer.

export { MODEL_FORMAT, LAYER_TYPES } from './spec';
export type * from './spec';
export { ModelSpecError, ModelSyntaxError, ModelJsonError, ModelShapeError, LayerValueError } from './errors';
export { buildLayer, buildModel, DEFAULTS } from './layers';
export type { LayerInit, SizeArg } from './layers';
export { parseText, parseTextLayers } from './parseText';
export { parseJson } from './parseJson';
export { canonicalJson, sameModel } from './canonicalJson';
export { formatText, formatLayer } from './formatText';
export { inferShapes, leafShapes } from './infer';
export type { ColumnMatrix, GemmSummary, LayerGemms, LayerShape, ModelShapes, ParamTensor } from './infer';
export { MODEL_PRESETS, findPreset, presetSpec, presetText } from './presets';
export type { ModelPreset } from './presets';
