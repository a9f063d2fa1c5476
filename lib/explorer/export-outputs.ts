import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { embeddingProvider } from "@/lib/embeddings";
import { NotFoundError } from "@/lib/errors";
import { analyzeText, computeOutputMetrics, type TextAnalysis } from "@/lib/text-metrics";
import { describeOutputSet } from "./output-set-label";
import { ExportOutputsInput } from "./schemas";

const PAGE = 2000;
const COLUMNS = [
  "item_id",
  "position",
  "source",
  "output_set",
  "system",
  "role",
  "rank",
  "output",
  "semantic_similarity",
  "word_edit_distance",
  "lexical_deviation",
  "word_position_deviation",
  "pos_edit_distance",
  "bleu_vs_source",
  "length_ratio",
] as const;

/** CSV cell; a text a spreadsheet would run as a formula gets a leading quote (CSV injection). */
function cell(v: string | number | null): string {
  if (v === null) return "";
  if (typeof v === "number") return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Every output of an eval set with its metrics, streamed as CSV or JSON Lines. Tree edit distance
 * is left out (it needs a parser run per text); the JSONL rows carry `source` and `output`, so
 * `npm run metrics -- file.jsonl` adds it.
 */
export async function exportOutputs(
  actor: Actor | null,
  input: { evalSetId: string; format?: string },
  db: DbOrTx = prisma,
) {
  requirePermission(actor, "eval-sets:read");
  const { evalSetId, format } = ExportOutputsInput.parse(input);
  const set = await db.evalSet.findUnique({ where: { id: evalSetId }, select: { id: true, name: true } });
  if (!set) throw new NotFoundError("No such eval set");
  let model = "";
  try {
    model = embeddingProvider().model;
  } catch {
    // no encoder configured: the similarity column stays empty
  }
  const encoder = new TextEncoder();
  let cursor: string | null = null;
  let headerSent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent && format === "csv") controller.enqueue(encoder.encode(COLUMNS.join(",") + "\r\n"));
      headerSent = true;
      const rows: {
        id: string;
        externalId: string | null;
        position: number;
        source: string;
        systemName: string;
        role: string;
        settingsKey: string;
        settings: unknown;
        rank: number;
        text: string;
        similarity: number | null;
      }[] = await db.$queryRaw`
        SELECT o."id"::text AS id, i."externalId", i."position", i."source", y."name" AS "systemName", y."role"::text AS role,
               o."settingsKey", o."settings", o."rank", o."text", s."similarity"
        FROM "Output" o JOIN "EvalItem" i ON i."id" = o."itemId" JOIN "System" y ON y."id" = o."systemId"
        LEFT JOIN "OutputSimilarity" s ON s."outputId" = o."id" AND s."model" = ${model}
        WHERE i."evalSetId" = ${set.id}::uuid AND (${cursor}::uuid IS NULL OR o."id" > ${cursor}::uuid)
        ORDER BY o."id" LIMIT ${PAGE}`;
      if (rows.length === 0) return controller.close();
      cursor = rows.at(-1)!.id;
      const analysed = new Map<string, TextAnalysis>();
      const lines = rows.map((r) => {
        let a = analysed.get(r.source);
        if (!a) analysed.set(r.source, (a = analyzeText(r.source)));
        const m = computeOutputMetrics({ source: a, output: r.text });
        const record = {
          item_id: r.externalId ?? String(r.position + 1),
          position: r.position + 1,
          source: r.source,
          output_set: describeOutputSet(r),
          system: r.systemName,
          role: r.role.toLowerCase(),
          rank: r.rank,
          output: r.text,
          semantic_similarity: r.similarity,
          word_edit_distance: m.wordEditDistance,
          lexical_deviation: m.lexicalDeviation,
          word_position_deviation: m.wordPositionDeviation,
          pos_edit_distance: m.syntacticDiversity,
          bleu_vs_source: m.bleuVsSource,
          length_ratio: m.lengthRatio,
        };
        return format === "csv"
          ? COLUMNS.map((c) => cell(record[c])).join(",") + "\r\n"
          : JSON.stringify({ ...record, id: record.item_id }) + "\n";
      });
      controller.enqueue(encoder.encode(lines.join("")));
    },
  });
  const safeName = set.name.replace(/[^\w.-]+/g, "_").slice(0, 60) || "eval-set";
  return {
    filename: `${safeName}-outputs.${format}`,
    contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
    body,
  };
}
