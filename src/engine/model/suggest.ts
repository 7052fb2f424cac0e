// "Did you mean …?" for misspelt layer and option names: the closest known word within an edit
// distance of 2 (Levenshtein), and at most half the word's length, which catches typos without
// suggesting unrelated names (a one-letter "q" is one edit away from every one-letter option).

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

export function closest(word: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.min(2, Math.floor(word.length / 2)) + 1;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** ` (did you mean conv?)` or an empty string. */
export function didYouMean(word: string, known: readonly string[]): string {
  const c = closest(word, known);
  return c === null ? '' : ` (did you mean ${c}?)`;
}
