// Say where a diverging run blew up. Backward runs from the last layer to the first, so the
// first parameter (in backward order) with a non-finite gradient is where it started.

export function describeDivergence(step: number, loss: number, paramNames: string[], gradNorms: Record<string, number>): string {
  const firstBad = [...paramNames].reverse().find((n) => !Number.isFinite(gradNorms[n]!));
  const lossText = Number.isFinite(loss) ? `the loss was ${loss.toPrecision(4)}` : `the loss became ${loss}`;
  const where = firstBad
    ? `; the gradients of layer ${firstBad.split('.')[0]} (${firstBad}) were the first to blow up (backward runs from the last layer)`
    : '; every gradient was still finite, so the forward pass overflowed first';
  return `training diverged at step ${step + 1}: ${lossText}${where}. Try a lower learning rate (e.g. half), gradient-friendlier init, or batch norm.`;
}
