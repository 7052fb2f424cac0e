// Registers the case runners of every op the engine implements (conv2d is built in).

export function registerAllCaseRunners(): void {
  // Pools, linear and cross-entropy register here once their backend ops exist.
}
