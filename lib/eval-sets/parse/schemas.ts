import { z } from "zod";

export const evalSetFormatSchema = z.enum(["csv", "tsv", "jsonl"]);
export type EvalSetFormat = z.infer<typeof evalSetFormatSchema>;

/** "info" is for notes such as unknown columns kept as metadata; it never blocks an import. */
export const problemSeveritySchema = z.enum(["error", "warning", "info"]);

export const problemCodeSchema = z.enum([
  "empty_file",
  "binary_file",
  "file_too_large",
  "too_many_rows",
  "invalid_utf8",
  "malformed_csv",
  "malformed_json",
  "missing_source_column",
  "bad_column",
  "no_rows",
  "missing_source",
  "invalid_field",
  "field_count_mismatch",
  "sentence_too_long",
  "duplicate_id",
  "duplicate_source",
  "unknown_column",
  "too_many_columns",
  "too_deep",
  "nul_character",
  "source_column_chosen",
  "whitespace_trimmed",
]);
export type ProblemCode = z.infer<typeof problemCodeSchema>;

export const parseProblemSchema = z.object({
  /** 1-based physical line in the file (after normalising line endings); null for the whole file. */
  line: z.number().int().positive().nullable(),
  severity: problemSeveritySchema,
  code: problemCodeSchema,
  message: z.string(),
});
export type ParseProblem = z.infer<typeof parseProblemSchema>;

export const parsedRowSchema = z.object({
  /** 1-based line where the row starts. */
  line: z.number().int().positive(),
  itemId: z.string().nullable(),
  source: z.string(),
  references: z.array(z.string()),
  /** Outputs produced elsewhere, keyed by system name. */
  outputs: z.record(z.string(), z.array(z.string())),
  metadata: z.record(z.string(), z.json()),
});
export type ParsedRow = z.infer<typeof parsedRowSchema>;

export const columnRoleSchema = z.enum(["source", "id", "reference", "output", "metadata"]);

export const recognisedColumnSchema = z.object({
  /** The column (CSV/TSV header) or key (JSONL) as written in the file. */
  name: z.string(),
  role: columnRoleSchema,
  /** For output columns, the system the outputs belong to. */
  system: z.string().optional(),
});
export type RecognisedColumn = z.infer<typeof recognisedColumnSchema>;

export const evalSetLimitsSchema = z.object({
  maxFileBytes: z.number().int().positive(),
  maxRows: z.number().int().positive(),
  maxSentenceChars: z.number().int().positive(),
});

const parsedEvalSetShape = {
  filename: z.string(),
  format: evalSetFormatSchema.nullable(),
  formatDetectedBy: z.enum(["extension", "content"]).nullable(),
  /** Data rows found (blank lines not counted); a lower bound when too_many_rows stopped parsing. */
  rowCount: z.number().int().nonnegative(),
  columns: z.array(recognisedColumnSchema),
  systems: z.array(z.string()),
  problems: z.array(parseProblemSchema),
  errorCount: z.number().int().nonnegative(),
  warningCount: z.number().int().nonnegative(),
  limits: evalSetLimitsSchema,
};

/** Everything parsed: what an import uses. */
export const parsedEvalSetSchema = z.object({ ...parsedEvalSetShape, rows: z.array(parsedRowSchema) });
export type ParsedEvalSet = z.infer<typeof parsedEvalSetSchema>;

/** What the upload page shows: as ParsedEvalSet but with one page of rows (every problem is kept). */
export const evalSetPreviewSchema = z.object({
  ...parsedEvalSetShape,
  rows: z.array(parsedRowSchema),
  /** Index of the first row shown (0-based); the admin pages through every row. */
  rowOffset: z.number().int().nonnegative(),
  isTruncated: z.boolean(),
});
export type EvalSetPreview = z.infer<typeof evalSetPreviewSchema>;

export const selectImportableRowsOptionsSchema = z.object({ dropBadRows: z.boolean() });

export const importSelectionSchema = z.discriminatedUnion("ok", [
  z.object({
    ok: z.literal(true),
    rows: z.array(parsedRowSchema),
    importedCount: z.number().int().nonnegative(),
    droppedCount: z.number().int().nonnegative(),
    droppedLines: z.array(z.number().int().positive()),
  }),
  z.object({
    ok: z.literal(false),
    reason: z.string(),
    errorCount: z.number().int().nonnegative(),
    blockingProblems: z.array(parseProblemSchema),
  }),
]);
export type ImportSelection = z.infer<typeof importSelectionSchema>;

/** A problem as one line for the page: "Line N: ..." once, whether or not the message already names its line. */
export function describeProblem(p: ParseProblem): string {
  if (p.line === null || new RegExp(`^Line ${p.line}\\b`).test(p.message)) return p.message;
  return `Line ${p.line}: ${p.message}`;
}
