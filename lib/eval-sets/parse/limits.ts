import type { z } from "zod";
import type { evalSetLimitsSchema, ParseProblem } from "./schemas";

/**
 * Upload limits for eval set files. Exported so the upload page can state them next to the
 * file picker; the parser enforces them before it parses the whole file.
 */
export const MAX_EVAL_SET_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_EVAL_SET_ROWS = 50_000;
export const MAX_SENTENCE_CHARS = 1000;
/** Columns in a CSV/TSV header; far more than any eval set needs, far fewer than a 10 MB header can hold. */
export const MAX_COLUMNS = 1000;
/** Nesting of objects and arrays in one JSONL line; deeper input overflows the stack downstream. */
export const MAX_JSON_DEPTH = 32;
/** How many parsed rows the preview shows. */
export const PREVIEW_ROW_COUNT = 20;

export type EvalSetLimits = z.infer<typeof evalSetLimitsSchema>;

/** The limits a parse runs under: the ones given (tests use small ones), the defaults for the rest. */
export function resolveLimits(limits: Partial<EvalSetLimits> = {}): EvalSetLimits {
  return {
    maxFileBytes: limits.maxFileBytes ?? MAX_EVAL_SET_FILE_BYTES,
    maxRows: limits.maxRows ?? MAX_EVAL_SET_ROWS,
    maxSentenceChars: limits.maxSentenceChars ?? MAX_SENTENCE_CHARS,
  };
}

/** Said by the parser and by the upload action, which refuses an oversized file before reading it. */
export function fileTooLargeMessage(bytes: number, maxFileBytes: number): string {
  let [size, limit] = [formatBytes(bytes), formatBytes(maxFileBytes)];
  // "10.0 MB; the limit is 10 MB" reads as a contradiction, so show exact bytes when close.
  if (size.replace(".0 ", " ") === limit)
    [size, limit] = [`${formatCount(bytes)} bytes`, `${formatCount(maxFileBytes)} bytes`];
  return `The file is ${size}; the limit is ${limit}. Split it into smaller files.`;
}

export function tooManyRowsProblem(line: number, maxRows: number): ParseProblem {
  return {
    line,
    severity: "error",
    code: "too_many_rows",
    message: `The file has more than ${formatCount(maxRows)} rows; the limit is ${formatCount(maxRows)}. Split it into smaller files.`,
  };
}

/** "10 MB", "512 KB", "900 bytes": sizes as a person reads them. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${trim(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${trim(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
