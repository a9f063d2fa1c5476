import { placeSides, sideOf } from "@/lib/annotation";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { requireStudyAccess } from "@/lib/studies";
import { csvLine } from "./csv";
import { exportFilename, usesSimulatedRatings } from "./dataset";
import * as q from "./queries";
import { ExportRatingsInput, type ExportFormat } from "./schemas";

export interface RatingExport {
  filename: string;
  contentType: string;
  body: ReadableStream<Uint8Array>;
}

/**
 * What a check pair's non-teacher side is, in words: its text is no system's output (a copy of
 * the source, or an instruction), so a reader must not take it for the student's.
 */
export const CHECK_SIDE_LABEL = {
  GOLD: "GOLD CHECK (copy of the source, not a system output)",
  ATTENTION: "ATTENTION CHECK (an instruction, not a system output)",
} as const;

/** One rating with its provenance, as exported; sides are as the annotator saw them. */
export function exportRecord(row: q.ExportRow) {
  const checkLabel = row.kind === "GOLD" || row.kind === "ATTENTION" ? CHECK_SIDE_LABEL[row.kind] : null;
  const { left, right } = placeSides(
    row.teacherOnLeft,
    { system: row.teacherName, text: row.teacherText },
    { system: checkLabel ?? row.studentName, text: row.studentText },
  );
  const preferredSystem = row.preference === "TIE" ? null : row.preference === "LEFT" ? left.system : right.system;
  return {
    dataset: row.isSimulated ? ("SIMULATED" as const) : ("REAL" as const),
    ratingId: row.id,
    annotator: row.pseudonym,
    itemExternalId: row.externalId,
    pairKind: row.kind,
    isCheck: checkLabel !== null,
    source: row.source,
    leftSystem: left.system,
    rightSystem: right.system,
    teacherSide: sideOf("teacher", row.teacherOnLeft),
    leftText: left.text,
    rightText: right.text,
    scores: row.scores,
    preference: row.preference,
    preferredSystem,
    instructionsVersion: row.instructionsVersion,
    activeMs: row.activeMs,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    revision: row.revision,
    isSimulated: row.isSimulated,
    // RANKING studies: the rows of one screen share its id; the ranks are the screen's (1 = best).
    ...(row.screenId === null
      ? {}
      : {
          screenId: row.screenId,
          screenTexts: row.screenTexts,
          teacherRank: row.teacherRank,
          studentRank: row.studentRank,
        }),
  };
}

const RANKING_COLUMNS = ["screen_id", "screen_texts", "teacher_rank", "student_rank"];

function csvHeader(criteria: string[], isRanking: boolean): string {
  return csvLine([
    "dataset",
    "rating_id",
    "annotator",
    "item_external_id",
    "pair_kind",
    "is_check",
    "source",
    "left_system",
    "right_system",
    "teacher_side",
    "left_text",
    "right_text",
    ...criteria.flatMap((c) => [`${c}_left`, `${c}_right`]),
    "preference",
    "preferred_system",
    "instructions_version",
    "active_ms",
    "created_at",
    "updated_at",
    "revision",
    "is_simulated",
    ...(isRanking ? RANKING_COLUMNS : []),
  ]);
}

function csvRow(r: ReturnType<typeof exportRecord>, criteria: string[], isRanking: boolean): string {
  const score = (c: string, side: "left" | "right") => {
    const v = r.scores?.[c]?.[side];
    return typeof v === "number" ? v : null;
  };
  return csvLine([
    r.dataset,
    r.ratingId,
    r.annotator,
    r.itemExternalId,
    r.pairKind,
    r.isCheck,
    r.source,
    r.leftSystem,
    r.rightSystem,
    r.teacherSide,
    r.leftText,
    r.rightText,
    ...criteria.flatMap((c) => [score(c, "left"), score(c, "right")]),
    r.preference,
    r.preferredSystem,
    r.instructionsVersion,
    r.activeMs,
    r.createdAt,
    r.updatedAt,
    r.revision,
    r.isSimulated,
    ...(isRanking ? [r.screenId ?? null, r.screenTexts ?? null, r.teacherRank ?? null, r.studentRank ?? null] : []),
  ]);
}

/** Every rating of a study with full provenance, streamed as CSV or JSON Lines a page at a time. */
export async function exportRatings(
  actor: Actor | null,
  input: { studyId: string; format?: string; pageSize?: number },
  db: DbOrTx = prisma,
): Promise<RatingExport> {
  requirePermission(actor, "results:export");
  const { studyId, format, pageSize } = ExportRatingsInput.parse(input);
  await requireStudyAccess(actor, studyId, "read", db); // its owner, collaborators and admins only
  const [study, criteriaRows, counts, design] = await Promise.all([
    q.findStudyHeader(studyId, db),
    q.listStudyCriteria(studyId, db),
    q.countRatingsByKind(studyId, db),
    q.findStudyDesign(studyId, db),
  ]);
  const isRanking = design === "RANKING";
  if (!study) throw new NotFoundError("No such study");
  const criteria = criteriaRows.map((c) => c.key);
  const encoder = new TextEncoder();
  let after: string | null = null;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started && format === "csv") controller.enqueue(encoder.encode(csvHeader(criteria, isRanking)));
      started = true;
      const rows = await q.exportPage({ studyId, after, limit: pageSize }, db);
      if (rows.length) {
        const text = rows
          .map((row) =>
            format === "csv"
              ? csvRow(exportRecord(row), criteria, isRanking)
              : `${JSON.stringify(exportRecord(row))}\n`,
          )
          .join("");
        controller.enqueue(encoder.encode(text));
        after = rows[rows.length - 1].id;
      }
      if (rows.length < pageSize) controller.close();
    },
  });
  const filename = exportFilename({
    studyName: study.name,
    contents: "ratings",
    isSimulated: usesSimulatedRatings(counts),
    extension: format,
  });
  return { filename, contentType: contentTypes[format], body };
}

const contentTypes: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  jsonl: "application/x-ndjson; charset=utf-8",
};
