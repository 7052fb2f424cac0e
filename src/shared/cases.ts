// Public entry of the `convlab-cases/1` reference-case format (docs/formats/cases.md): the parser,
// the tolerance rule and the PyTorch output-shape formulas. Implementation lives in ./cases/.

export { CaseFileError, parseCaseFile } from './cases/parse';
export { compareTensor, type TensorComparison } from './cases/compare';
export { conv2dOutputShape, convOutputLength, pool2dOutputShape, pooledLength, resolveConvPadding, type ResolvedPadding } from './cases/shapes';
export * from './cases/types';
