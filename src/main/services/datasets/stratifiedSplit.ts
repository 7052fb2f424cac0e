// Train/validation split that keeps every class's proportion: each class's indices are shuffled
// with the seeded generator and the first round(n_c × valFraction) go to validation. Splitting per
// class (rather than shuffling everything once) matters for small or unbalanced folders, where a
// global shuffle can leave a rare class with no validation images at all.
import { Random } from '../../../shared/random';

export const SPLIT_TRAIN = 0;
export const SPLIT_VAL = 1;

export function checkValFraction(valFraction: number): void {
  if (!Number.isFinite(valFraction) || valFraction < 0 || valFraction >= 1) {
    throw new Error(`valFraction must be at least 0 and below 1 (e.g. 0.1 for 10% validation), got ${String(valFraction)}`);
  }
}

/** Returns one flag per image (0 = train, 1 = val). Deterministic for a given labels array and seed. */
export function stratifiedSplit(labels: Uint8Array, classCount: number, valFraction: number, seed: number): Uint8Array {
  checkValFraction(valFraction);
  const byClass: number[][] = Array.from({ length: classCount }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const bucket = byClass[labels[i]];
    if (bucket === undefined) throw new Error(`Label ${labels[i]} at index ${i} is outside the ${classCount} classes`);
    bucket.push(i);
  }
  const flags = new Uint8Array(labels.length); // all train
  const random = new Random(seed);
  for (const indices of byClass) {
    // A class with a single image keeps it for training: a model cannot learn a class it never sees.
    let nVal = Math.round(indices.length * valFraction);
    if (nVal >= indices.length) nVal = indices.length - 1;
    if (nVal <= 0) continue;
    random.shuffle(indices);
    for (let k = 0; k < nVal; k++) flags[indices[k]] = SPLIT_VAL;
  }
  return flags;
}

/** Indices of the images carrying `flag`, in ascending order. */
export function indicesWithFlag(flags: Uint8Array, flag: number): Uint32Array {
  let n = 0;
  for (let i = 0; i < flags.length; i++) if (flags[i] === flag) n++;
  const out = new Uint32Array(n);
  let k = 0;
  for (let i = 0; i < flags.length; i++) if (flags[i] === flag) out[k++] = i;
  return out;
}
