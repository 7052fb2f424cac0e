// The dataset service's public surface, for the IPC handlers, the CLI and the browser host.
export { DatasetWriter, type DatasetWriterMeta, type DatasetCommitOptions } from './datasetWriter';
export {
  listDatasets,
  scanDatasets,
  getDataset,
  renameDataset,
  deleteDataset,
  datasetSamples,
  removeStaleTempFolders,
  type DatasetScan,
  type DatasetSamples,
} from './datasetStore';
export { loadDataset, type LoadedDataset } from './loadDataset';
export { resolveDataRoot, describeBuiltin, FASHION_MNIST_CLASSES, type BuiltinDatasetInfo } from './builtinDataset';
export { importIdx, type ImportIdxOptions } from './importIdx';
export { importCifar10, type ImportCifar10Options } from './importCifar10';
export {
  DEFAULT_SPLIT_SEED,
  DEFAULT_VAL_FRACTION,
  ImportCancelledError,
  type CommonImportOptions,
  type ImportProgress,
  type ImportResult,
} from './importCommon';
export { readMaybeGzip } from './readMaybeGzip';
