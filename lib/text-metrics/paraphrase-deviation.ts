/**
 * Word Position Deviation (WPD) and Lexical Deviation (LD), as defined by Liu & Soh, "Towards
 * Better Characterization of Paraphrases" (ACL 2022), following their reference implementation
 * (tlkh/paraphrase-metrics, metrics.py) over lemmas:
 * - WPD: each token's position is scaled to [0, 1] (i / (length - 1), punctuation included). For
 *   every lemma found in both sentences, its shift is |p_s - p_t| when it occurs once in each;
 *   when it repeats, each occurrence in the sentence with more occurrences takes the nearest
 *   occurrence in the other and the shifts are averaged. WPD is the mean shift over shared lemmas,
 *   and 1 when no lemma is shared. 0 = same word order, towards 1 = words moved far.
 * - LD: 1 - |shared lemma set| / |union of lemma sets|, punctuation left out.
 * One deliberate difference: where the reference returns 0 for a sentence of fewer than two
 * tokens (and LD 1 for two empty texts), these return null, "not defined", so an empty output is
 * not averaged in as a perfect copy.
 */
export interface LemmaToken {
  lemma: string;
  /** True when the token has no letter or digit (punctuation, symbols). */
  isPunctuation: boolean;
}

function positions(tokens: readonly LemmaToken[]): Map<string, number[]> {
  const last = tokens.length - 1;
  const out = new Map<string, number[]>();
  tokens.forEach((t, i) => out.set(t.lemma, [...(out.get(t.lemma) ?? []), i / last]));
  return out;
}

/** Word position deviation in [0, 1]; null when either side has fewer than two tokens. */
export function wordPositionDeviation(source: readonly LemmaToken[], output: readonly LemmaToken[]): number | null {
  if (source.length < 2 || output.length < 2) return null;
  const s = positions(source);
  const t = positions(output);
  const shifts: number[] = [];
  for (const [lemma, ps] of s) {
    const pt = t.get(lemma);
    if (!pt) continue;
    if (ps.length === 1 && pt.length === 1) {
      shifts.push(Math.abs(ps[0] - pt[0]));
      continue;
    }
    const [many, few] = ps.length >= pt.length ? [ps, pt] : [pt, ps];
    const nearest = many.map((p) => Math.min(...few.map((q) => Math.abs(p - q))));
    shifts.push(nearest.reduce((a, b) => a + b, 0) / nearest.length);
  }
  return shifts.length ? shifts.reduce((a, b) => a + b, 0) / shifts.length : 1;
}

/** Lexical deviation in [0, 1]; null when both texts have no word. */
export function lexicalDeviation(source: readonly LemmaToken[], output: readonly LemmaToken[]): number | null {
  const s = new Set(source.filter((t) => !t.isPunctuation).map((t) => t.lemma));
  const t = new Set(output.filter((x) => !x.isPunctuation).map((x) => x.lemma));
  const union = new Set([...s, ...t]);
  if (union.size === 0) return null;
  let shared = 0;
  for (const lemma of s) if (t.has(lemma)) shared++;
  return 1 - shared / union.size;
}
