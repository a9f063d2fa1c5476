import { decodeUpload } from "./decode-text";
import { detectFormat } from "./detect-format";
import { resolveLimits, PREVIEW_ROW_COUNT, type EvalSetLimits } from "./limits";
import { parseDelimited, type FormatParseResult } from "./parse-delimited";
import { parseJsonl } from "./parse-jsonl";
import { checkRows } from "./check-rows";
import { normaliseColumnName } from "./columns";
import type { EvalSetPreview, ParsedEvalSet, ParseProblem, ParsedRow } from "./schemas";

export interface ParseEvalSetUploadArgs {
  filename: string;
  bytes: Uint8Array;
  limits?: Partial<EvalSetLimits>;
  /** First row of the preview page (0-based); the page holds PREVIEW_ROW_COUNT rows. */
  rowOffset?: number;
}

/** Parses an uploaded eval set and returns what the upload page shows: one page of rows and every problem. */
export function parseEvalSetUpload(args: ParseEvalSetUploadArgs): EvalSetPreview {
  return toEvalSetPreview(parseEvalSetFile(args), args.rowOffset ?? 0);
}

/** Parses an uploaded eval set keeping every row (for import); nothing is stored. */
export function parseEvalSetFile({ filename, bytes, limits: partialLimits }: ParseEvalSetUploadArgs): ParsedEvalSet {
  const limits = resolveLimits(partialLimits);
  const decoded = decodeUpload(bytes, limits);
  if (!decoded.ok)
    return finish({
      filename,
      limits,
      format: null,
      formatDetectedBy: null,
      rows: [],
      columns: [],
      problems: [decoded.problem],
    });

  const { format, detectedBy } = detectFormat(filename, decoded.text);
  const parsed: FormatParseResult =
    format === "jsonl"
      ? parseJsonl(decoded.text, limits.maxRows)
      : parseDelimited(decoded.text, format === "tsv" ? "\t" : ",", limits.maxRows);

  const problems = [...parsed.problems, ...utf8Problems(decoded.badUtf8Lines, parsed)];
  if (parsed.hasUsableRows) {
    if (parsed.rows.length === 0 && !problems.some((p) => p.severity === "error")) {
      problems.push({
        line: null,
        severity: "error",
        code: "no_rows",
        message: "The file has no data rows. Add at least one row below the header.",
      });
    }
    problems.push(...checkRows(parsed.rows, limits.maxSentenceChars), ...columnNotes(parsed));
  }
  return finish({
    filename,
    limits,
    format,
    formatDetectedBy: detectedBy,
    rows: parsed.rows,
    columns: parsed.columns,
    problems,
  });
}

/** Cuts a parsed eval set down to one page of rows; every problem stays. */
function toEvalSetPreview(parsed: ParsedEvalSet, rowOffset: number): EvalSetPreview {
  const lastPage = Math.max(0, Math.floor((parsed.rows.length - 1) / PREVIEW_ROW_COUNT) * PREVIEW_ROW_COUNT);
  const offset = Math.min(Math.max(0, Math.floor(rowOffset / PREVIEW_ROW_COUNT) * PREVIEW_ROW_COUNT), lastPage);
  return {
    ...parsed,
    rows: parsed.rows.slice(offset, offset + PREVIEW_ROW_COUNT),
    rowOffset: offset,
    isTruncated: parsed.rows.length > PREVIEW_ROW_COUNT,
  };
}

/** Notes the admin should read before importing: which column became the source, and trimmed spaces. */
function columnNotes(parsed: FormatParseResult): ParseProblem[] {
  const notes: ParseProblem[] = [];
  const source = parsed.columns.find((c) => c.role === "source");
  if (source && normaliseColumnName(source.name) !== "source")
    notes.push({
      line: null,
      severity: "info",
      code: "source_column_chosen",
      message: `The "${source.name}" column is read as the source sentences (no column is named "source"). If the sentences are in another column, name that one "source".`,
    });
  const trimmed = parsed.trimmedLines ?? [];
  if (trimmed.length)
    notes.push({
      line: null,
      severity: "warning",
      code: "whitespace_trimmed",
      message: `Leading or trailing spaces are removed from ${trimmed.length} source sentence${trimmed.length === 1 ? "" : "s"} on import (line${trimmed.length === 1 ? "" : "s"} ${trimmed.slice(0, 10).join(", ")}${trimmed.length > 10 ? ", …" : ""}).`,
    });
  return notes;
}

/** Past this many bad lines the file is simply not UTF-8, and one message says so. */
const MAX_UTF8_LINE_PROBLEMS = 20;

/**
 * Invalid bytes are reported on the row that contains them (a quoted CSV value can span lines)
 * so that dropping bad rows drops exactly that row; outside any row (the header) they block.
 */
function utf8Problems(badLines: number[], parsed: FormatParseResult): ParseProblem[] {
  const advice = 'Save the file as UTF-8 (in Excel: "CSV UTF-8") and upload it again.';
  if (badLines.length > MAX_UTF8_LINE_PROBLEMS) {
    const first = badLines.slice(0, 5).join(", ");
    return [
      {
        line: null,
        severity: "error",
        code: "invalid_utf8",
        message: `The file is not UTF-8: ${badLines.length} lines have invalid bytes (first on lines ${first}). It is probably in a legacy encoding such as Windows-1252. ${advice}`,
      },
    ];
  }
  return badLines.map((bad) => {
    const i = rowContaining(bad, parsed);
    const line = i === -1 ? bad : parsed.rows[i].line;
    const where = line === bad ? `Line ${bad}` : `Line ${bad} (in the row starting on line ${line})`;
    return {
      line,
      severity: "error" as const,
      code: "invalid_utf8" as const,
      message: `${where} contains bytes that are not valid UTF-8. ${advice}`,
    };
  });
}

/** Index of the row spanning `line` (rows are in line order), or -1. */
function rowContaining(line: number, { rows, rowEndLines }: FormatParseResult): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (line < rows[mid].line) hi = mid - 1;
    else if (line > rowEndLines[mid]) lo = mid + 1;
    else return mid;
  }
  return -1;
}

function finish(
  p: Omit<ParsedEvalSet, "rowCount" | "errorCount" | "warningCount" | "systems"> & { rows: ParsedRow[] },
): ParsedEvalSet {
  const problems = [...p.problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const systems = [...new Set(p.rows.flatMap((r) => Object.keys(r.outputs)))];
  return {
    ...p,
    problems,
    systems,
    rowCount: p.rows.length,
    errorCount: problems.filter((x) => x.severity === "error").length,
    warningCount: problems.filter((x) => x.severity === "warning").length,
  };
}
