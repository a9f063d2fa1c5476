import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type Db, type DbOrTx } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { requireId } from "@/lib/ids";
import {
  parseEvalSetFile,
  parseEvalSetUpload,
  selectImportableRows,
  type EvalSetPreview,
  type ParsedEvalSet,
  type ParseProblem,
} from "./parse";
import { requireImportableRows, resolveImportedSystems } from "./imported-systems";
import { IMPORTED_SETTINGS_KEY } from "./schemas";

export const AddOutputsInput = z.object({
  evalSetId: z.uuid(),
  filename: z.string().min(1),
  bytes: z.instanceof(Uint8Array),
  /** Add the rows without errors and leave the rest out; otherwise any error stops the upload. */
  dropBadRows: z.boolean().default(false),
  /** Systems named in `output:<name>` columns whose outputs are the teacher's (the rest are students). */
  teacherSystems: z.array(z.string()).default([]),
});
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
 * The parser's own problems plus those of matching: every row must name an item of the set by
 * its id, and the file must have an output column. A source that differs from the item's is a
 * warning (the id decides).
 */
function withMatchProblems(parsed: ParsedEvalSet, items: Items): ParsedEvalSet {
  const problems: ParseProblem[] = [...parsed.problems];
  if (parsed.rows.length > 0 && parsed.systems.length === 0)
    problems.push({
      line: null,
      severity: "error",
      code: "bad_column",
      message: "The file has no output column: name one output:<system> (e.g. output:gpt-4o).",
    });
  for (const r of parsed.rows) {
    if (r.itemId === null) {
      problems.push({
        line: r.line,
        severity: "error",
        code: "invalid_field",
        message: "No item id: outputs are added to the item with the same id, so the file needs an id column.",
      });
      continue;
    }
    const item = items.get(r.itemId);
    if (!item)
      problems.push({
        line: r.line,
        severity: "error",
        code: "invalid_field",
        message: `No item with id "${r.itemId}" in this eval set.`,
      });
    else if (item.source !== r.source)
      problems.push({
        line: r.line,
        severity: "warning",
        code: "invalid_field",
        message: `The source differs from item "${r.itemId}"'s; the outputs are added to that item all the same.`,
      });
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return {
    ...parsed,
    problems,
    errorCount: problems.filter((p) => p.severity === "error").length,
    warningCount: problems.filter((p) => p.severity === "warning").length,
  };
}

/** Parses an upload of outputs for an existing eval set and returns the preview with matching problems; stores nothing. */
export async function previewAddOutputs(
  actor: Actor | null,
  input: { evalSetId: string; filename: string; bytes: Uint8Array; rowOffset?: number },
  db: DbOrTx = prisma,
): Promise<EvalSetPreview> {
  requirePermission(actor, "eval-sets:manage");
  const items = await loadItems(input.evalSetId, db);
  const checked = withMatchProblems(parseEvalSetFile(input), items);
  const page = parseEvalSetUpload(input); // the same page of rows the new-set preview shows
  return { ...page, problems: checked.problems, errorCount: checked.errorCount, warningCount: checked.warningCount };
}

/**
 * Adds outputs made elsewhere to an eval set's items, matched by item id, in one transaction.
 * Systems are created or reused as a new set's import does (imported systems only).
 */
export async function addOutputs(
  actor: Actor | null,
  raw: AddOutputsInput,
  db: Db = prisma,
): Promise<AddOutputsResult> {
  requirePermission(actor, "eval-sets:manage");
  const input = AddOutputsInput.parse(raw);
  const items = await loadItems(input.evalSetId, db);
  const parsed = withMatchProblems(parseEvalSetFile(input), items);
  const selection = requireImportableRows(
    parsed,
    selectImportableRows(parsed, { dropBadRows: input.dropBadRows }),
    input.teacherSystems,
    "No rows left to add. Fix the file's errors and upload it again.",
  );

  return db.$transaction(
    async (tx) => {
      const { systems, systemIds } = await resolveImportedSystems(
        tx,
        parsed.systems,
        input.teacherSystems,
        input.filename,
      );
      const outputs = selection.rows.flatMap((r) =>
        Object.entries(r.outputs).flatMap(([system, texts]) =>
          texts.map((text, rank) => ({
            itemId: items.get(r.itemId!)!.id,
            systemId: systemIds.get(system)!,
            settingsKey: IMPORTED_SETTINGS_KEY,
            settings: { source: "import", filename: input.filename },
            rank,
            text,
          })),
        ),
      );
      let added = 0;
      for (let i = 0; i < outputs.length; i += 1000)
        added += (await tx.output.createMany({ data: outputs.slice(i, i + 1000), skipDuplicates: true })).count;
      return {
        evalSetId: input.evalSetId,
        matchedItems: selection.rows.length,
        droppedLines: selection.droppedLines,
        outputsAdded: added,
        outputsAlreadyPresent: outputs.length - added,
        systems,
      };
    },
    { timeout: 120_000 },
  );
}
