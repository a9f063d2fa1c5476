import type { ExpectedAnswer } from "@/lib/annotation/schemas";

export interface PairPlanInput {
  items: { id: string; source: string }[];
  /** itemId -> the teacher output compared (rank 0 of the chosen settings). */
  teacherOutputs: Map<string, { id: string; text: string }>;
  /** Per student: itemId -> its output compared (rank 0 of the chosen settings). */
  students: { systemId: string; outputs: Map<string, { id: string; text: string }> }[];
  criteriaKeys: string[];
  goldShare: number;
  attentionShare: number;
  /** Uniform [0, 1); injectable so tests are deterministic. */
  random?: () => number;
}

export interface PlannedPair {
  itemId: string;
  teacherOutputId: string;
  studentOutputId: string;
  studentSystemId: string;
  kind: "REGULAR" | "GOLD" | "ATTENTION";
  shownText: string | null;
  expected: ExpectedAnswer | null;
}

/**
 * What an attention check shows in the student output's place. Says nothing about the other text: "prefer the other text" made the other side, always the
 * teacher's, known to the annotator. The check is the scores alone.
 */
export const ATTENTION_TEXT = "This is an attention check, not a paraphrase: please give this text 1 on every scale.";

function shuffle<T>(xs: T[], random: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * The pairs a study launches with: for every item and student, the teacher's and the student's
 * rank-0 output (the best for beam search, the first sample otherwise). Gold pairs replace the
 * student text with a verbatim copy of the source (lexical diversity must be 1 and the other
 * side preferred); attention checks replace it with an instruction. Both are added so they make
 * up `goldShare` and `attentionShare` of all pairs, each on a different (item, student).
 */
export function planPairs(input: PairPlanInput): { pairs: PlannedPair[]; skippedItems: number } {
  const random = input.random ?? Math.random;
  const regular: PlannedPair[] = [];
  let skippedItems = 0;
  for (const item of input.items) {
    const t = input.teacherOutputs.get(item.id);
    const made = input.students.flatMap((s) => {
      const o = s.outputs.get(item.id);
      if (!t || !o) return [];
      return [
        {
          itemId: item.id,
          teacherOutputId: t.id,
          studentOutputId: o.id,
          studentSystemId: s.systemId,
          kind: "REGULAR" as const,
          shownText: null,
          expected: null,
        },
      ];
    });
    if (made.length < input.students.length) skippedItems++;
    regular.push(...made);
  }
  const regularShare = 1 - input.goldShare - input.attentionShare;
  const total = regularShare > 0 ? regular.length / regularShare : regular.length;
  const nGold = Math.min(regular.length, Math.round(total * input.goldShare));
  const nAttention = Math.min(regular.length, Math.round(total * input.attentionShare));
  const sourceOf = new Map(input.items.map((i) => [i.id, i.source]));
  const teacherText = (p: PlannedPair) => input.teacherOutputs.get(p.itemId)?.text.trim();
  // Checks are spread over items, fewest first: an annotator rates one pair per item, so every
  // pair an item has needs k more different annotators, and the busiest item sets how many the
  // study needs (lib/studies/feasibility.ts).
  const load = new Map<string, number>();
  const spread = (candidates: PlannedPair[], n: number): PlannedPair[] => {
    const byItem = new Map<string, PlannedPair[]>();
    for (const p of shuffle(candidates, random)) byItem.set(p.itemId, [...(byItem.get(p.itemId) ?? []), p]);
    const picked: PlannedPair[] = [];
    while (picked.length < n && byItem.size) {
      // One round: each item with a candidate left gives one, least-loaded items first.
      const round = shuffle([...byItem.keys()], random).sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0));
      for (const itemId of round) {
        if (picked.length >= n) break;
        const left = byItem.get(itemId)!;
        picked.push(left.pop()!);
        load.set(itemId, (load.get(itemId) ?? 0) + 1);
        if (!left.length) byItem.delete(itemId);
      }
    }
    return picked;
  };
  // A copy of the source is only a gold item when the teacher did not also copy it.
  const gold: PlannedPair[] = spread(
    regular.filter((p) => teacherText(p) !== sourceOf.get(p.itemId)?.trim()),
    nGold,
  ).map((p) => ({
    ...p,
    kind: "GOLD",
    shownText: sourceOf.get(p.itemId)!,
    expected: {
      scores: input.criteriaKeys.includes("lexical_diversity")
        ? { lexical_diversity: { min: 1, max: 1 } }
        : ({} as ExpectedAnswer["scores"]),
      preference: "TEACHER",
    },
  }));
  const attention: PlannedPair[] = spread(regular, nAttention).map((p) => ({
    ...p,
    kind: "ATTENTION",
    shownText: ATTENTION_TEXT,
    expected: {
      scores: Object.fromEntries(input.criteriaKeys.map((k) => [k, { min: 1, max: 1 }])),
    },
  }));
  return { pairs: [...regular, ...gold, ...attention], skippedItems };
}
