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

/**
 * Chooses the rows to import. All-or-nothing by default: any error blocks the import. With
 * dropBadRows, rows that carry an error are left out, but file-level errors still block.
 */
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
  const errors = parsed.problems.filter((p) => p.severity === "error");
  const rowLines = new Set(parsed.rows.map((r) => r.line));
  // A malformed JSONL line yields no row but stands alone, so it can be dropped; any other error
  // outside a row (e.g. invalid bytes in the CSV header) affects every row.
  const blocking = errors.filter(
    (p) => p.line === null || FILE_LEVEL_CODES.has(p.code) || (!rowLines.has(p.line) && p.code !== "malformed_json"),
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
  const badLines = new Set(errors.map((p) => p.line as number));
  const rows = parsed.rows.filter((r) => !badLines.has(r.line));
  if (rows.length === 0) {
    return {
      ok: false,
      reason: "Every row has an error, so there is nothing to import.",
      errorCount: errors.length,
      blockingProblems: errors,
    };
  }
  const droppedLines = [...badLines].sort((a, b) => a - b);
  return { ok: true, rows, importedCount: rows.length, droppedCount: droppedLines.length, droppedLines };
}
