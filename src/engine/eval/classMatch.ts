// Evaluating on another dataset: its classes must be the run's, matched by name (the order may
// differ). Images stored without names (MNIST IDX: classes "0".."9") match by index when the
// run's classes came from such a set too, which classMatch also covers since the names agree.

/** For each of the dataset's label indices, the run's class index; or a message. */
export function matchClasses(runClasses: readonly string[], dataClasses: readonly string[], dataName: string): Uint8Array {
  const runIndex = new Map(runClasses.map((c, i) => [c, i]));
  const extra = dataClasses.filter((c) => !runIndex.has(c));
  const dataSet = new Set(dataClasses);
  const missing = runClasses.filter((c) => !dataSet.has(c));
  if (extra.length > 0 || missing.length > 0) {
    const parts = [
      extra.length ? `${dataName} has classes the model does not know: ${list(extra)}` : '',
      missing.length ? `${missing.length === runClasses.length ? 'none of the model\'s classes are there' : `it lacks the model's ${list(missing)}`}` : '',
    ].filter(Boolean);
    throw new Error(`${parts.join('; ')} (the model's classes: ${list(runClasses)}); evaluate on a set with the same class names`);
  }
  return Uint8Array.from(dataClasses, (c) => runIndex.get(c)!);
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, 8).map((n) => JSON.stringify(n)).join(', ');
  return names.length > 8 ? `${shown} and ${names.length - 8} more` : shown;
}
