import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { embeddingProvider, requestEmbeddings } from "@/lib/embeddings";
import { NotFoundError } from "@/lib/errors";
import { analyzeText, computeOutputMetrics, treeDistancesFor } from "@/lib/text-metrics";
import { highlightChanges, type Segment } from "./highlight";
import { describeOutputSet } from "./output-set-label";
import { countUnscored, loadItems, loadOutputs, pageItems } from "./queries";
import { ExploreOutputsInput } from "./schemas";

export const EXPLORER_METRICS = [
  "semanticSimilarity",
  "wordEditDistance",
  "lexicalDeviation",
  "wordPositionDeviation",
  "treeEditDistance",
  "syntacticDiversity",
  "lengthRatio",
] as const;
export type ExplorerMetric = (typeof EXPLORER_METRICS)[number];

export interface ExplorerOutput {
  id: string;
  rank: number;
  text: string;
  segments: Segment[];
  isCopy: boolean;
  isEmpty: boolean;
  isDuplicate: boolean;
  metrics: Record<ExplorerMetric, number | null>;
}
export interface ExplorerItem {
  id: string;
  externalId: string | null;
  position: number;
  source: string;
  outputSets: { key: string; label: string; role: string; outputs: ExplorerOutput[] }[];
}

const normal = (s: string) => s.trim().toLowerCase();

/** One page of an eval set's items with every system's outputs side by side and every metric per output. */
export async function exploreOutputs(actor: Actor | null, input: ExploreOutputsInput, db: DbOrTx = prisma) {
  requirePermission(actor, "eval-sets:read");
  const args = ExploreOutputsInput.parse(input);
  const set = await db.evalSet.findUnique({
    where: { id: args.evalSetId },
    select: { id: true, name: true, _count: { select: { items: true } } },
  });
  if (!set) throw new NotFoundError("No such eval set");

  let model: string | null = null;
  let semantic: { label: string | null; pending: number; reason: string | null };
  try {
    const provider = embeddingProvider();
    model = provider.model;
    const pending = await countUnscored({ evalSetId: set.id, model }, db);
    if (pending > 0)
      await requestEmbeddings({ evalSetId: set.id, model, missing: pending, createdById: actor?.id }, db);
    semantic = {
      label: provider.label,
      pending,
      reason: pending > 0 ? `computing: ${pending} outputs still to score (a background job is queued)` : null,
    };
  } catch (err) {
    semantic = { label: null, pending: 0, reason: `unavailable: ${(err as Error).message}` };
  }

  const offset = (args.page - 1) * args.pageSize;
  const { ids, total } = await pageItems(
    { ...args, model: model ?? "", offset, limit: args.pageSize, evalSetId: set.id },
    db,
  );
  const [items, outputs] = await Promise.all([
    loadItems(ids, db),
    loadOutputs({ itemIds: ids, model: model ?? "" }, db),
  ]);
  const trees = await treeDistancesFor(
    outputs.map((o) => ({ source: items.find((i) => i.id === o.itemId)!.source, output: o.text })),
  );
  const treeOf = new Map(outputs.map((o, i) => [o.id, trees.ok ? (trees.distances[i]?.full ?? null) : null]));

  const byId = new Map(items.map((i) => [i.id, i]));
  const result: ExplorerItem[] = ids.map((id) => {
    const item = byId.get(id)!;
    const analysed = analyzeText(item.source);
    const sets = new Map<string, ExplorerItem["outputSets"][number]>();
    for (const o of outputs.filter((x) => x.itemId === id)) {
      const key = `${o.systemId}:${o.settingsKey}`;
      if (!sets.has(key)) sets.set(key, { key, label: describeOutputSet(o), role: o.role.toLowerCase(), outputs: [] });
      const m = computeOutputMetrics({ source: analysed, output: o.text });
      const siblings = sets.get(key)!.outputs;
      siblings.push({
        id: o.id,
        rank: o.rank,
        text: o.text,
        segments: highlightChanges(item.source, o.text),
        isCopy: normal(o.text) === normal(item.source),
        isEmpty: o.text.trim() === "",
        isDuplicate: siblings.some((s) => normal(s.text) === normal(o.text)),
        metrics: {
          semanticSimilarity: o.similarity,
          wordEditDistance: m.wordEditDistance,
          lexicalDeviation: m.lexicalDeviation,
          wordPositionDeviation: m.wordPositionDeviation,
          treeEditDistance: treeOf.get(o.id) ?? null,
          syntacticDiversity: m.syntacticDiversity,
          lengthRatio: m.lengthRatio,
        },
      });
    }
    return { ...item, outputSets: [...sets.values()] };
  });
  return {
    evalSet: { id: set.id, name: set.name, itemCount: set._count.items },
    page: args.page,
    pageSize: args.pageSize,
    total,
    pages: Math.max(1, Math.ceil(total / args.pageSize)),
    filter: args.filter,
    sort: args.sort,
    below: args.below,
    semantic,
    treeEditDistance: trees.ok ? null : trees.reason,
    items: result,
  };
}
export type ExplorerPage = Awaited<ReturnType<typeof exploreOutputs>>;
