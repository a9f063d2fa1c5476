import { planColumns, type ColumnPlan } from "./columns";
import type { FormatParser, FormatSink } from "./format-sink";
import { nulProblem } from "./format-sink";
import type { PhysicalLine } from "./read-lines";
import type { ParsedRow, ParseProblem } from "./schemas";
import { MAX_COLUMNS, tooManyRowsProblem } from "./limits";

/**
 * Reads CSV or TSV with a header row, one line at a time, holding only the record being read (a
 * quoted CSV value may span lines). Quoting follows what papaparse accepted before: a value that
 * starts with a quote ends at a quote followed (after optional spaces) by the delimiter or the end
 * of the line; "" inside it is a quote; a quote elsewhere is text. TSV corpora (PAWS, MRPC, ...) do
 * not quote, and sentences often start with a quotation mark, so TSV ignores quotes.
 */
export function createDelimitedParser(delimiter: "," | "\t", sink: FormatSink): FormatParser {
  const isQuoting = delimiter === ",";
  let plan: ColumnPlan | null = null;
  let headers: string[] = [];
  let isStopped = false;
  let isMalformed = false;
  // The record being read: fields done, the quoted value open at the end of the last line.
  let fields: string[] = [];
  let open: string | null = null;
  let startLine = 0;
  let badLines: number[] = [];

  function malformed(line: number, kind: "unclosed" | "trailing") {
    isMalformed = isStopped = true;
    sink.problem({
      line,
      severity: "error",
      code: "malformed_csv",
      message:
        kind === "unclosed"
          ? `Line ${line}: a quoted field is opened but never closed, so the rest of the file would be read as one value. Add the missing closing quote (") or escape quotes inside values by doubling them ("").`
          : `Line ${line}: a quoted field has text after its closing quote. Escape quotes inside values by doubling them ("").`,
    });
  }

  /** Reads `text` from `at`, inside a quoted value; returns where the value's closing quote ends, or -1. */
  function readQuoted(text: string, at: number): number {
    let i = at;
    for (;;) {
      const q = text.indexOf('"', i);
      if (q === -1) {
        open += text.slice(i);
        return -1;
      }
      if (text[q + 1] === '"') {
        open += text.slice(i, q + 1);
        i = q + 2;
        continue;
      }
      open += text.slice(i, q);
      return q + 1;
    }
  }

  /** Reads one physical line into the record; true when the record is complete. */
  function readLine(text: string): boolean {
    let i = 0;
    if (open !== null) {
      open += "\n";
      const end = readQuoted(text, 0);
      if (end === -1) return false;
      i = closeQuoted(text, end);
      if (i === -1 || i > text.length) return i !== -1;
    }
    for (;;) {
      if (isQuoting && text[i] === '"') {
        open = "";
        const end = readQuoted(text, i + 1);
        if (end === -1) return false;
        i = closeQuoted(text, end);
        if (i === -1 || i > text.length) return i !== -1;
        continue;
      }
      const d = text.indexOf(delimiter, i);
      if (d === -1) {
        fields.push(text.slice(i));
        return true;
      }
      fields.push(text.slice(i, d));
      i = d + 1;
    }
  }

  /** After a closing quote: the next field's start, past the end when the line ends, -1 when malformed. */
  function closeQuoted(text: string, at: number): number {
    let j = at;
    while (j < text.length && (text[j] === " " || text[j] === "\t") && text[j] !== delimiter) j++;
    fields.push(open!);
    open = null;
    if (j === text.length) return text.length + 1;
    if (text[j] === delimiter) return j + 1;
    malformed(startLine, "trailing");
    return -1;
  }

  function record() {
    const done = fields;
    const lines = badLines;
    fields = [];
    badLines = [];
    if (isMalformed) return;
    if (done.every((f) => f.trim() === "")) return sink.strayBadUtf8(lines);
    if (!plan) {
      sink.strayBadUtf8(lines);
      if (done.length > MAX_COLUMNS) {
        isMalformed = isStopped = true;
        sink.problem({
          line: startLine,
          severity: "error",
          code: "too_many_columns",
          message: `The header on line ${startLine} has ${done.length.toLocaleString("en")} columns; the limit is ${MAX_COLUMNS.toLocaleString("en")}. Keep the source, id, reference and output columns and drop the rest.`,
        });
        return;
      }
      headers = done;
      plan = planColumns(done, startLine);
      plan.problems.forEach(sink.problem);
      if (!plan.hasSource) isStopped = true;
      return;
    }
    if (sink.rowCount() >= sink.maxRows) {
      isStopped = true;
      return sink.problem(tooManyRowsProblem(startLine, sink.maxRows));
    }
    const problems: ParseProblem[] = [];
    const mismatch = checkFieldCount(done.length, plan.byIndex.length, startLine);
    if (mismatch) problems.push(mismatch);
    done.forEach((value, i) => {
      if (value.includes("\u0000")) problems.push(nulProblem(startLine, headers[i]?.trim() || `column ${i + 1}`));
    });
    sink.row(toRow(done, plan, startLine, sink), problems, lines);
  }

  return {
    line(l: PhysicalLine) {
      if (isStopped) return;
      if (open === null) startLine = l.line;
      if (l.isBadUtf8) badLines.push(l.line);
      if (readLine(l.text)) record();
    },
    end() {
      if (open !== null && !isStopped) malformed(startLine, "unclosed");
      const current = plan as ColumnPlan | null;
      return { columns: current?.columns ?? [], hasUsableRows: !isMalformed && current !== null && current.hasSource };
    },
  };
}

function toRow(fields: string[], plan: ColumnPlan, line: number, sink: FormatSink): ParsedRow {
  const row: ParsedRow = { line, itemId: null, source: "", references: [], outputs: {}, metadata: {} };
  plan.byIndex.forEach((col, i) => {
    const raw = fields[i] ?? "";
    const value = raw.trim();
    if (col.role === "source") {
      row.source = value;
      if (value !== "" && value !== raw) sink.trimmed(line);
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
