import Papa from "papaparse";
import { createLineIndex } from "./decode-text";
import { planColumns, type ColumnPlan } from "./columns";
import type { ParsedRow, ParseProblem, RecognisedColumn } from "./schemas";
import { MAX_COLUMNS, tooManyRowsProblem } from "./limits";

export interface FormatParseResult {
  rows: ParsedRow[];
  /** Last line of each row, parallel to rows (multi-line quoted fields span several lines). */
  rowEndLines: number[];
  columns: RecognisedColumn[];
  problems: ParseProblem[];
  /** False when a file-level problem (no source column, malformed quotes) makes the rows meaningless. */
  hasUsableRows: boolean;
  /** Lines whose source had leading or trailing whitespace, removed on import (said in one note). */
  trimmedLines?: number[];
}

/** Parses CSV or TSV text (line endings already normalised to \n) with a header row. */
export function parseDelimited(text: string, delimiter: "," | "\t", maxRows: number): FormatParseResult {
  const lineOf = createLineIndex(text);
  const problems: ParseProblem[] = [];
  const rows: ParsedRow[] = [];
  const rowEndLines: number[] = [];
  let plan: ColumnPlan | null = null;
  const trimmedLines: number[] = [];
  let offset = 0;
  let isMalformed = false;

  Papa.parse<string[]>(text, {
    delimiter,
    newline: "\n",
    // TSV corpora (PAWS, MRPC, ...) do not quote, and sentences often start with a quotation
    // mark, so quoting is only honoured in CSV. NUL never reaches here (binary files are refused).
    quoteChar: delimiter === "," ? '"' : "\u0000",
    step: (result, parser) => {
      const startLine = lineOf(skipBlankLines(text, offset));
      const endOffset = result.meta.cursor;
      offset = endOffset;
      for (const err of result.errors) {
        if (err.type !== "Quotes") continue;
        isMalformed = true;
        const line = lineOf(err.index ?? 0);
        problems.push({
          line,
          severity: "error",
          code: "malformed_csv",
          message:
            err.code === "MissingQuotes"
              ? `Line ${line}: a quoted field is opened but never closed, so the rest of the file would be read as one value. Add the missing closing quote (") or escape quotes inside values by doubling them ("").`
              : `Line ${line}: a quoted field has text after its closing quote. Escape quotes inside values by doubling them ("").`,
        });
      }
      if (isMalformed) return parser.abort();
      const fields = result.data;
      if (fields.every((f) => f.trim() === "")) return;
      if (!plan) {
        if (fields.length > MAX_COLUMNS) {
          isMalformed = true;
          problems.push({
            line: startLine,
            severity: "error",
            code: "too_many_columns",
            message: `The header on line ${startLine} has ${fields.length.toLocaleString("en")} columns; the limit is ${MAX_COLUMNS.toLocaleString("en")}. Keep the source, id, reference and output columns and drop the rest.`,
          });
          return parser.abort();
        }
        plan = planColumns(fields, startLine);
        problems.push(...plan.problems);
        if (!plan.hasSource) parser.abort();
        return;
      }
      if (rows.length >= maxRows) {
        problems.push(tooManyRowsProblem(startLine, maxRows));
        return parser.abort();
      }
      const mismatch = checkFieldCount(fields.length, plan.byIndex.length, startLine);
      if (mismatch) problems.push(mismatch);
      rows.push(toRow(fields, plan, startLine, trimmedLines));
      rowEndLines.push(lineOf(Math.max(endOffset - 1, 0)));
    },
  });

  const currentPlan = plan as ColumnPlan | null;
  const hasUsableRows = !isMalformed && currentPlan !== null && currentPlan.hasSource;
  return { rows, rowEndLines, columns: currentPlan?.columns ?? [], problems, hasUsableRows, trimmedLines };
}

function toRow(fields: string[], plan: ColumnPlan, line: number, trimmedLines: number[]): ParsedRow {
  const row: ParsedRow = { line, itemId: null, source: "", references: [], outputs: {}, metadata: {} };
  plan.byIndex.forEach((col, i) => {
    const raw = fields[i] ?? "";
    const value = raw.trim();
    if (col.role === "source") {
      row.source = value;
      if (value !== "" && value !== raw) trimmedLines.push(line);
    } else if (col.role === "id") row.itemId = value === "" ? null : value;
    else if (col.role === "reference" && value !== "") row.references.push(value);
    else if (col.role === "output" && col.system && value !== "") (row.outputs[col.system] ??= []).push(value);
    else if (col.role === "metadata" && col.key) row.metadata[col.key] = raw;
  });
  return row;
}

function checkFieldCount(found: number, expected: number, line: number): ParseProblem | null {
  if (found === expected) return null;
  if (found > expected) {
    return {
      line,
      severity: "error",
      code: "field_count_mismatch",
      message: `Line ${line} has ${found} values but the header has ${expected} columns, so some values have no column. Check for an unquoted delimiter inside a value.`,
    };
  }
  return {
    line,
    severity: "warning",
    code: "field_count_mismatch",
    message: `Line ${line} has ${found} values but the header has ${expected} columns; the missing values are read as empty.`,
  };
}

function skipBlankLines(text: string, offset: number): number {
  while (text[offset] === "\n") offset++;
  return offset;
}
