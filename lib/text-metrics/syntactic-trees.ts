/**
 * Tree edit distance of each (source, output) pair, parsing every distinct text once. Returns
 * the reason instead of figures when no parser is installed, so callers show "unavailable: ..."
 * and carry on with every other metric.
 */
import { parseConstituencies, parserStatus } from "./link-parser";
import { syntacticTreeDistance } from "./tree-edit-distance";

export interface TreeDistance {
  /** Normalised TED over the full phrase-label trees. */
  full: number;
  /** Normalised TED over the first three levels. */
  top: number;
}

export type TreeDistances = { ok: true; distances: (TreeDistance | null)[] } | { ok: false; reason: string };

export async function treeDistancesFor(
  pairs: readonly { source: string; output: string }[],
  opts: { searchPath?: string } = {},
): Promise<TreeDistances> {
  const status = parserStatus(opts.searchPath);
  if (!status.ok) return status;
  const texts = [...new Set(pairs.flatMap((p) => [p.source, p.output]))];
  let trees;
  try {
    trees = await parseConstituencies(texts, { executable: status.path });
  } catch (err) {
    return {
      ok: false,
      reason: `unavailable: the parser failed (${err instanceof Error ? err.message : String(err)})`,
    };
  }
  const byText = new Map(texts.map((t, i) => [t, trees[i]]));
  return {
    ok: true,
    distances: pairs.map(({ source, output }) => {
      const a = byText.get(source);
      const b = byText.get(output);
      return a && b ? syntacticTreeDistance(a, b) : null;
    }),
  };
}
