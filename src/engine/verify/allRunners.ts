// Registers the case runners of every op the engine implements (conv2d is built in).

import { runPool2dCase } from './pool2dCase';
import { registerCaseRunner } from './runCase';

export function registerAllCaseRunners(): void {
  // Linear and cross-entropy register here once their backend ops exist.
  registerCaseRunner('max_pool2d', runPool2dCase);
  registerCaseRunner('avg_pool2d', runPool2dCase);
}
