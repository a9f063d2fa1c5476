/**
 * Sentence BLEU (Papineni et al. 2002) on word tokens, written out so its choices are explicit:
 * - modified n-gram precision p_n for n = 1..maxN (default 4): candidate n-gram counts clipped
 *   by the largest count in any one reference;
 * - smoothing "add-one" (Lin & Och 2004, NLTK's method2): p_n = (matches + 1) / (total + 1)
 *   for n >= 2, unigram precision unsmoothed, so one missing 4-gram does not zero the score of
 *   a short sentence; "none" gives corpus-style BLEU (0 when any p_n is 0);
 * - uniform weights 1/maxN, geometric mean;
 * - brevity penalty exp(1 - r/c) when the candidate (length c) is shorter than the reference
 *   length r closest to c (the shorter one on ties).
 * A candidate with no words, or with no unigram match, scores 0.
 */
export type BleuSmoothing = "add-one" | "none";

export interface BleuOptions {
  maxN?: number;
  smoothing?: BleuSmoothing;
}

export function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    // \u0001 cannot occur inside a word token, so the joined key is unambiguous.
    const key = tokens.slice(i, i + n).join("\u0001");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export function sentenceBleu(
  candidate: readonly string[],
  references: readonly (readonly string[])[],
  options: BleuOptions = {},
): number {
  const maxN = options.maxN ?? 4;
  const smoothing = options.smoothing ?? "add-one";
  if (references.length === 0) throw new RangeError("BLEU needs at least one reference");
  const c = candidate.length;
  if (c === 0) return 0;
  let logSum = 0;
  for (let n = 1; n <= maxN; n++) {
    const candidateCounts = ngramCounts(candidate, n);
    const maxReferenceCounts = new Map<string, number>();
    for (const reference of references) {
      for (const [gram, count] of ngramCounts(reference, n)) {
        maxReferenceCounts.set(gram, Math.max(maxReferenceCounts.get(gram) ?? 0, count));
      }
    }
    let matches = 0;
    for (const [gram, count] of candidateCounts) matches += Math.min(count, maxReferenceCounts.get(gram) ?? 0);
    const total = Math.max(c - n + 1, 0);
    let precision: number;
    if (n === 1 || smoothing === "none") precision = total === 0 ? 0 : matches / total;
    else precision = (matches + 1) / (total + 1);
    if (precision === 0) return 0;
    logSum += Math.log(precision) / maxN;
  }
  const r = closestReferenceLength(c, references);
  const brevity = c >= r ? 1 : Math.exp(1 - r / c);
  return brevity * Math.exp(logSum);
}

function closestReferenceLength(c: number, references: readonly (readonly string[])[]): number {
  let best = references[0].length;
  for (const reference of references) {
    const length = reference.length;
    const distance = Math.abs(length - c);
    const bestDistance = Math.abs(best - c);
    if (distance < bestDistance || (distance === bestDistance && length < best)) best = length;
  }
  return best;
}

/**
 * Self-BLEU of one system's several outputs for one source: the mean over outputs of the BLEU
 * of each against the others as references (Zhu et al. 2018). High means the outputs repeat
 * each other (low diversity). null when there are fewer than two outputs.
 */
export function selfBleu(outputs: readonly (readonly string[])[], options: BleuOptions = {}): number | null {
  if (outputs.length < 2) return null;
  let total = 0;
  outputs.forEach((output, i) => {
    total += sentenceBleu(
      output,
      outputs.filter((_, j) => j !== i),
      options,
    );
  });
  return total / outputs.length;
}

/** Jaccard similarity of the sets of n-grams of two token sequences (1 when both are empty). */
export function ngramJaccard(a: readonly string[], b: readonly string[], n = 1): number {
  const setA = new Set(ngramCounts(a, n).keys());
  const setB = new Set(ngramCounts(b, n).keys());
  if (setA.size === 0 && setB.size === 0) return 1;
  let intersection = 0;
  for (const gram of setA) if (setB.has(gram)) intersection++;
  return intersection / (setA.size + setB.size - intersection);
}
