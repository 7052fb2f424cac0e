// Errors of the model-spec layer. Each says which part failed (text, JSON, or the shape check of
// one layer) so the UI can put the message next to the thing the user typed.

export class ModelSpecError extends Error {
  override name = 'ModelSpecError';
}

/** A compact-text error: `at column 14: unknown layer "cnv" (did you mean conv?)`. */
export class ModelSyntaxError extends ModelSpecError {
  override name = 'ModelSyntaxError';
  constructor(
    readonly column: number,
    readonly token: string,
    readonly detail: string,
  ) {
    super(`at column ${column}: ${detail}`);
  }
}

/** A JSON-form error; `path` is like `layers[2].kernel_size`. */
export class ModelJsonError extends ModelSpecError {
  override name = 'ModelJsonError';
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(path === '' ? `model JSON: ${detail}` : `model JSON: ${path}: ${detail}`);
  }
}

/** A shape error of one layer; the index is its nn.Sequential index (every layer counts). Inside
 *  a residual block the index is the block's and `path` the layer's state_dict path, and the
 *  message names both: `layer 4.body.2 conv2d (in the residual block at layer 4): …`. */
export class ModelShapeError extends ModelSpecError {
  override name = 'ModelShapeError';
  constructor(
    readonly layerIndex: number,
    readonly layerType: string,
    readonly detail: string,
    /** true when detail reads as a sentence continuing "layer 7 linear ..." rather than after a colon. */
    continues = false,
    readonly path: string = String(layerIndex),
  ) {
    const where = path === String(layerIndex) ? `layer ${path} ${layerType}` : `layer ${path} ${layerType} (in the residual block at layer ${layerIndex})`;
    super(`${where}${continues ? ' ' : ': '}${detail}`);
  }
}

/** A layer argument out of range; parsers rethrow it with a column or a JSON path. */
export class LayerValueError extends ModelSpecError {
  override name = 'LayerValueError';
}
