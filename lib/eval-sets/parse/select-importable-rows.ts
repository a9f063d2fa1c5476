import type { ImportSelection, ParsedRow, ParseProblem } from "./schemas";

/** Problems that make the whole file untrustworthy, so no row may be imported. */
const FILE_LEVEL_CODES = new Set<ParseProblem["code"]>([
  "empty_file",
  "binary_file",
  "file_too_large",
  "too_many_rows",
  "malformed_csv",
  "missing_source_column",
  "bad_column",
  "no_rows",
]);

export interface ImportableInput {
  rows: ParsedRow[];
  problems: ParseProblem[];
  rowCount: number;
}

export type ImportVerdict = { ok: true; badLines: Set<number> } | Extract<ImportSelection, { ok: false }>;

/**
 * Whether a file's rows may be stored, from its problems alone (so a streamed import can decide
 * at the end without keeping its rows). All-or-nothing by default: any error blocks. With
 * dropBadRows, rows that carry an error are left out, but file-level errors still block.
 * `isRowLine` tells whether a line is where a row starts.
 */
export function judgeProblems(
  problems: ParseProblem[],
  isRowLine: (line: number) => boolean,
  { dropBadRows }: { dropBadRows: boolean },
): ImportVerdict {
  const errors = problems.filter((p) => p.severity === "error");
  // A malformed JSONL line yields no row but stands alone, so it can be dropped; any other error
  // outside a row (e.g. invalid bytes in the CSV header) affects every row.
  const blocking = errors.filter(
    (p) => p.line === null || FILE_LEVEL_CODES.has(p.code) || (!isRowLine(p.line) && p.code !== "malformed_json"),
  );
  if (blocking.length > 0) {
    return {
      ok: false,
      reason: "The file has problems that affect every row; fix them and upload it again.",
      errorCount: errors.length,
      blockingProblems: blocking,
    };
  }
  if (errors.length > 0 && !dropBadRows) {
    return {
      ok: false,
      reason: `${errors.length} row error${errors.length === 1 ? "" : "s"} found. Fix them, or choose to import without the rows that have errors.`,
      errorCount: errors.length,
      blockingProblems: errors,
    };
  }
  return { ok: true, badLines: new Set(errors.map((p) => p.line as number)) };
}

/** The answer when every row had an error, so nothing is left to store. */
export function everyRowBad(problems: ParseProblem[]): Extract<ImportSelection, { ok: false }> {
  const errors = problems.filter((p) => p.severity === "error");
  return {
    ok: false,
    reason: "Every row has an error, so there is nothing to import.",
    errorCount: errors.length,
    blockingProblems: errors,
  };
}

/** Chooses the rows to import from a parse that kept them all (see judgeProblems). */
export function selectImportableRows(
  parsed: ImportableInput,
  { dropBadRows }: { dropBadRows: boolean },
): ImportSelection {
  if (parsed.rows.length < parsed.rowCount) {
    // A preview holds only the first rows; importing from it would silently lose the rest.
    throw new Error(
      "selectImportableRows needs every parsed row: pass the result of parseEvalSetFile, not the preview.",
    );
  }
  const rowLines = new Set(parsed.rows.map((r) => r.line));
  const verdict = judgeProblems(parsed.problems, (line) => rowLines.has(line), { dropBadRows });
  if (!verdict.ok) return verdict;
  const rows = parsed.rows.filter((r) => !verdict.badLines.has(r.line));
  if (rows.length === 0) return everyRowBad(parsed.problems);
  const droppedLines = [...verdict.badLines].sort((a, b) => a - b);
  return { ok: true, rows, importedCount: rows.length, droppedCount: droppedLines.length, droppedLines };
}
