// Registers the case runners of every op the engine implements (conv2d is built in), so
// `convlab verify` and the app's self-test accept every op of convlab-cases/1.

import { runActivationCase } from './activationCase';
import { runBatchNorm2dCase } from './batchNorm2dCase';
import { runCrossEntropyCase } from './crossEntropyCase';
import { runLinearCase } from './linearCase';
import { runPool2dCase } from './pool2dCase';
import { registerCaseRunner } from './runCase';

export function registerAllCaseRunners(): void {
  registerCaseRunner('max_pool2d', runPool2dCase);
  registerCaseRunner('avg_pool2d', runPool2dCase);
  registerCaseRunner('adaptive_avg_pool2d', runPool2dCase);
  registerCaseRunner('activation', runActivationCase);
  registerCaseRunner('batch_norm2d', runBatchNorm2dCase);
  registerCaseRunner('linear', runLinearCase);
  registerCaseRunner('cross_entropy', runCrossEntropyCase);
}
