import type { PhysicalLine } from "./read-lines";
import type { ParsedRow, ParseProblem, RecognisedColumn } from "./schemas";

/** Where a format's parser (CSV/TSV, JSONL) hands what it reads, line by line. */
export interface FormatSink {
  maxRows: number;
  rowCount(): number;
  /** A problem that belongs to no row (the header, a line that is not JSON, the file). */
  problem(p: ParseProblem): void;
  /** A row with its own problems and the lines it spans that have invalid UTF-8. */
  row(row: ParsedRow, problems: ParseProblem[], badUtf8Lines: number[]): void;
  /** Lines with invalid UTF-8 that hold no row (the header, a line that is not JSON). */
  strayBadUtf8(lines: number[]): void;
  /** A source sentence lost leading or trailing spaces. */
  trimmed(line: number): void;
}

export interface FormatParser {
  line(l: PhysicalLine): void;
  end(): {
    columns: RecognisedColumn[];
    /** False when a file-level problem (no source column, malformed quotes) makes the rows meaningless. */
    hasUsableRows: boolean;
  };
}

/** The problem of a value holding U+0000, which PostgreSQL text and jsonb cannot store. */
export function nulProblem(line: number, field: string): ParseProblem {
  return {
    line,
    severity: "error",
    code: "nul_character",
    message: `Line ${line}, field ${field}: contains a NUL character (\\u0000), which cannot be stored; remove it.`,
  };
}
