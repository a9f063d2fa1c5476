import { describe, expect, it } from "vitest";
import { readTrees, parserStatus } from "./link-parser";
import { treeDistancesFor } from "./syntactic-trees";
import {
  normalizedTreeEditDistance,
  parseBracketedLabels,
  pruneTree,
  syntacticTreeDistance,
  treeEditDistance,
  treeSize,
} from "./tree-edit-distance";

const t = (s: string) => parseBracketedLabels(s);

describe("tree edit distance (Zhang-Shasha, unit costs)", () => {
  it("matches the worked example of Zhang & Shasha: f(d(a c(b)) e) to f(c(d(a b)) e) is 2", () => {
    // Delete c under d (b moves up to d), then insert c above d: two operations.
    expect(treeEditDistance(t("(f (d (a) (c (b))) (e))"), t("(f (c (d (a) (b))) (e))"))).toBe(2);
  });

  it("counts relabels, insertions and deletions by hand", () => {
    expect(treeEditDistance(t("(S (NP) (VP))"), t("(S (NP) (VP))"))).toBe(0);
    expect(treeEditDistance(t("(S (NP) (VP))"), t("(S (NP) (ADJP))"))).toBe(1); // relabel VP
    expect(treeEditDistance(t("(S (NP) (VP))"), t("(S (NP) (VP (PP (NP))))"))).toBe(2); // insert PP, NP
    expect(treeEditDistance(t("(S (NP) (VP))"), t("(S (VP) (NP))"))).toBe(2); // relabel both
    expect(treeEditDistance(t("(S (NP))"), t("(X)"))).toBe(2); // relabel S, delete NP
  });

  it("drops words when reading a parser's tree, prunes by level and normalises by the two sizes", () => {
    const a = t("(S (NP the cat.n) (VP sat.v-d (PP on (NP the mat.n))) .)");
    expect(a).toEqual({
      label: "S",
      children: [
        { label: "NP", children: [] },
        { label: "VP", children: [{ label: "PP", children: [{ label: "NP", children: [] }] }] },
      ],
    });
    expect(treeSize(a)).toBe(5);
    expect(treeSize(pruneTree(a, 2))).toBe(3);
    const b = t("(S (NP it) (VP rained.v-d))");
    // Full: delete PP and its NP -> 2 / (5 + 3). First three levels: S, NP, VP, PP vs S, NP, VP -> 1 / 7.
    expect(normalizedTreeEditDistance(a, b)).toBeCloseTo(2 / 8, 12);
    expect(syntacticTreeDistance(a, b)).toEqual({ full: 2 / 8, top: 1 / 7 });
  });

  it("refuses a malformed tree with a message", () => {
    expect(() => t("(S (NP the cat")).toThrow(/unbalanced/);
  });
});

describe("link-parser output", () => {
  it("takes the first tree after each echoed sentence, and null where none came", () => {
    const out = [
      "verbosity set to 0",
      "A cat sat.",
      "(S (NP a cat.n)",
      "   (VP sat.v-d) .)",
      "",
      "(S (NP a cat.n) (VP sat.v-d))",
      "",
      "zzz",
      "Dogs bark.",
      "(S (NP dogs.n) (VP bark.v))",
      "Bye.",
    ].join("\n");
    const trees = readTrees(out, ["A cat sat.", "zzz", "Dogs bark."]);
    expect(trees[0]).toEqual(t("(S (NP) (VP))"));
    expect(trees[1]).toBeNull();
    expect(trees[2]).toEqual(t("(S (NP) (VP))"));
  });

  it("says how to install the parser when it is absent, and nothing else breaks", async () => {
    const r = await treeDistancesFor([{ source: "A cat sat.", output: "The cat was sitting." }], {
      searchPath: "/nonexistent",
    });
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/^unavailable: install .*link-grammar/) });
  });

  it.runIf(parserStatus().ok)(
    "parses real sentences with link-parser and scores a reordering above a copy",
    async () => {
      const r = await treeDistancesFor([
        {
          source: "Because it rained, the match was cancelled.",
          output: "Because it rained, the match was cancelled.",
        },
        { source: "Because it rained, the match was cancelled.", output: "The match was cancelled because it rained." },
        { source: "Because it rained, the match was cancelled.", output: "" },
      ]);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.distances[0]).toEqual({ full: 0, top: 0 });
      expect(r.distances[1]!.full).toBeGreaterThan(0.1);
      expect(r.distances[1]!.top).toBeGreaterThan(0.1);
      expect(r.distances[2]).toBeNull();
    },
    30_000,
  );
});
