import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, withPgTransaction, type Db, type DbOrTx } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { requireId } from "@/lib/ids";
import {
  createPageCollector,
  parseEvalSetStream,
  type EvalSetPreview,
  type ParsedRow,
  type ParseProblem,
} from "./parse";
import { createSystemResolver } from "./imported-systems";
import { hasOneBody, IMPORTED_SETTINGS_KEY, uploadBodyShape } from "./schemas";
import { bodyOf, storeStreamed } from "./store-streamed";

export const AddOutputsInput = z
  .object({
    evalSetId: z.uuid(),
    filename: z.string().min(1),
    ...uploadBodyShape,
    /** Add the rows without errors and leave the rest out; otherwise any error stops the upload. */
    dropBadRows: z.boolean().default(false),
    /** Systems named in `output:<name>` columns whose outputs are the teacher's (the rest are students). */
    teacherSystems: z.array(z.string()).default([]),
  })
  .refine(...hasOneBody);
export type AddOutputsInput = z.input<typeof AddOutputsInput>;

export interface AddOutputsResult {
  evalSetId: string;
  matchedItems: number;
  droppedLines: number[];
  outputsAdded: number;
  /** Outputs the set already held for that item, system and rank (a file uploaded twice adds nothing). */
  outputsAlreadyPresent: number;
  systems: { name: string; role: "TEACHER" | "STUDENT"; created: boolean }[];
}

type Items = Map<string, { id: string; source: string }>;

async function loadItems(evalSetId: string, db: DbOrTx): Promise<Items> {
  const set = await db.evalSet.findUnique({ where: { id: requireId(evalSetId, "eval set") }, select: { id: true } });
  if (!set) throw new NotFoundError("No such eval set");
  const items = await db.evalItem.findMany({
    where: { evalSetId },
    select: { id: true, externalId: true, source: true },
  });
  return new Map(items.map((i) => [i.externalId, { id: i.id, source: i.source }]));
}

/**
 * Matching, row by row: every row must name an item of the set by its id. A source that differs
 * from the item's is a warning (the id decides).
 */
function matchProblems(items: Items): (r: ParsedRow) => ParseProblem[] {
  return (r) => {
    if (r.itemId === null)
      return [
        {
          line: r.line,
          severity: "error",
          code: "invalid_field",
          message: "No item id: outputs are added to the item with the same id, so the file needs an id column.",
        },
      ];
    const item = items.get(r.itemId);
    if (!item)
      return [
        {
          line: r.line,
          severity: "error",
          code: "invalid_field",
          message: `No item with id "${r.itemId}" in this eval set.`,
        },
      ];
    if (item.source !== r.source)
      return [
        {
          line: r.line,
          severity: "warning",
          code: "invalid_field",
          message: `The source differs from item "${r.itemId}"'s; the outputs are added to that item all the same.`,
        },
      ];
    return [];
  };
}

/** A file with rows and no output column has nothing to add. */
function noOutputColumn(summary: { rowCount: number; systems: string[] }): ParseProblem[] {
  if (summary.rowCount === 0 || summary.systems.length > 0) return [];
  return [
    {
      line: null,
      severity: "error",
      code: "bad_column",
      message: "The file has no output column: name one output:<system> (e.g. output:gpt-4o).",
    },
  ];
}

/** Parses an upload of outputs for an existing eval set and returns the preview with matching problems; stores nothing. */
export async function previewAddOutputs(
  actor: Actor | null,
  input: { evalSetId: string; filename: string; bytes?: Uint8Array; file?: Blob; rowOffset?: number },
  db: DbOrTx = prisma,
): Promise<EvalSetPreview> {
  requirePermission(actor, "eval-sets:manage");
  const items = await loadItems(input.evalSetId, db);
  const page = createPageCollector(input.rowOffset);
  const summary = await parseEvalSetStream({
    filename: input.filename,
    body: bodyOf(input),
    checkRow: matchProblems(items),
    onRow: page.onRow,
  });
  const problems = [...noOutputColumn(summary), ...summary.problems];
  return page.preview({
    ...summary,
    problems,
    errorCount: problems.filter((p) => p.severity === "error").length,
    warningCount: problems.filter((p) => p.severity === "warning").length,
  });
}

/**
 * Adds outputs made elsewhere to an eval set's items, matched by item id, in one transaction,
 * reading the file as a stream and storing it batch by batch. Systems are created or reused as a
 * new set's import does (imported systems only).
 */
export async function addOutputs(
  actor: Actor | null,
  raw: AddOutputsInput,
  db: Db = prisma,
): Promise<AddOutputsResult> {
  requirePermission(actor, "eval-sets:manage");
  const input = AddOutputsInput.parse(raw);
  const items = await loadItems(input.evalSetId, db);
  const settings = JSON.stringify({ source: "import", filename: input.filename });

  // Through `pg` rather than Prisma's $transaction, so no batch is kept after it is stored.
  return withPgTransaction(async (tx) => {
    const systems = createSystemResolver(tx, input.teacherSystems, input.filename);
    let offered = 0;
    let added = 0;
    const { storedCount, droppedLines } = await storeStreamed({
      filename: input.filename,
      body: bodyOf(input),
      dropBadRows: input.dropBadRows,
      teacherSystems: input.teacherSystems,
      noRowsMessage: "No rows left to add. Fix the file's errors and upload it again.",
      checkRow: matchProblems(items),
      fileProblems: noOutputColumn,
      async store(rows) {
        const systemIds = await systems.resolve(rows);
        const itemIds: string[] = [];
        const systemIdsOf: string[] = [];
        const ranks: number[] = [];
        const texts: string[] = [];
        for (const r of rows)
          for (const [system, outs] of Object.entries(r.outputs))
            outs.forEach((text, rank) => {
              itemIds.push(items.get(r.itemId!)!.id);
              systemIdsOf.push(systemIds.get(system)!);
              ranks.push(rank);
              texts.push(text);
            });
        offered += texts.length;
        if (!texts.length) return;
        // An output the item already has for that system and rank is left as it is (a file uploaded twice adds nothing).
        const inserted = await tx.query(
          `INSERT INTO "Output" ("id", "itemId", "systemId", "settingsKey", "settings", "rank", "text")
           SELECT gen_random_uuid(), x.item, x.system, $1, $2::jsonb, x.rank, x.text
           FROM unnest($3::uuid[], $4::uuid[], $5::int[], $6::text[]) AS x(item, system, rank, text)
           ON CONFLICT ("itemId", "systemId", "settingsKey", "rank") DO NOTHING`,
          [IMPORTED_SETTINGS_KEY, settings, itemIds, systemIdsOf, ranks, texts],
        );
        added += inserted.rowCount ?? 0;
      },
    });
    return {
      evalSetId: input.evalSetId,
      matchedItems: storedCount,
      droppedLines,
      outputsAdded: added,
      outputsAlreadyPresent: offered - added,
      systems: systems.systems,
    };
  });
}
