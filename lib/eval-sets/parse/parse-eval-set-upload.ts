import { detectFormat, type DetectedFormat } from "./detect-format";
import { fileTooLargeMessage, resolveLimits, PREVIEW_ROW_COUNT, type EvalSetLimits } from "./limits";
import { createDelimitedParser } from "./parse-delimited";
import { createJsonlParser } from "./parse-jsonl";
import { createRowChecker } from "./check-rows";
import { normaliseColumnName } from "./columns";
import type { FormatParser, FormatSink } from "./format-sink";
import { fileError, LineReader, type PhysicalLine } from "./read-lines";
import type { EvalSetPreview, ParsedEvalSet, ParseProblem, ParsedRow, RecognisedColumn } from "./schemas";

export interface ParseEvalSetUploadArgs {
  filename: string;
  bytes: Uint8Array;
  limits?: Partial<EvalSetLimits>;
  /** First row of the preview page (0-based); the page holds PREVIEW_ROW_COUNT rows. */
  rowOffset?: number;
}

/** What a parse found, without the rows (each went to `onRow` as it was read). */
export type EvalSetSummary = Omit<ParsedEvalSet, "rows"> & {
  /** Lines of the rows that have errors (a bad row's line, not every row's). */
  rowErrorLines: ReadonlySet<number>;
};

export interface EvalSetParserOptions {
  filename: string;
  /** The upload's size, checked against the limit before a byte is read. */
  totalBytes: number;
  limits?: Partial<EvalSetLimits>;
  /** Checks of each row beyond the file's own (adding outputs: the item must exist). */
  checkRow?: (row: ParsedRow) => ParseProblem[];
  /** Each row as soon as it is read, with its errors: a row with errors is not to be stored. */
  onRow: (row: ParsedRow, errors: ParseProblem[]) => void;
}

/** Past this many bad lines the file is simply not UTF-8, and one message says so. */
const MAX_UTF8_LINE_PROBLEMS = 20;

/**
 * Parses an eval set upload pushed in chunks, handing each row to `onRow` as soon as it is read
 * and keeping no rows itself: memory holds the line being read, the problems found and, to find
 * repeats, each row's id and a hash of its source. `end` says what the whole file held.
 */
export function createEvalSetParser(opts: EvalSetParserOptions) {
  const limits = resolveLimits(opts.limits);
  const sizeProblem =
    opts.totalBytes > limits.maxFileBytes
      ? fileError("file_too_large", fileTooLargeMessage(opts.totalBytes, limits.maxFileBytes))
      : null;
  const found: ParseProblem[] = []; // the format's and invalid bytes, in the order read
  const checks: ParseProblem[] = []; // the row checks', kept only when the rows mean something
  const rowErrorLines = new Set<number>();
  const systems = new Set<string>();
  const trimmed: number[] = [];
  const badUtf8: number[] = [];
  let trimmedCount = 0;
  let badUtf8Count = 0;
  let rowCount = 0;
  let hasText = false;
  const check = createRowChecker(limits.maxSentenceChars);
  let detected: DetectedFormat | null = null;
  let parser: FormatParser | null = null;
  let waiting: PhysicalLine[] = [];

  const advice = 'Save the file as UTF-8 (in Excel: "CSV UTF-8") and upload it again.';
  function utf8Problem(bad: number, line: number): ParseProblem {
    badUtf8Count++;
    if (badUtf8.length < 5) badUtf8.push(bad);
    const where = line === bad ? `Line ${bad}` : `Line ${bad} (in the row starting on line ${line})`;
    return {
      line,
      severity: "error",
      code: "invalid_utf8",
      message: `${where} contains bytes that are not valid UTF-8. ${advice}`,
    };
  }

  const sink: FormatSink = {
    maxRows: limits.maxRows,
    rowCount: () => rowCount,
    problem: (p) => found.push(p),
    row(row, problems, badLines) {
      rowCount++;
      // Invalid bytes go on the row holding them (a quoted CSV value can span lines), so that
      // dropping bad rows drops exactly that row.
      const own = [...problems, ...badLines.map((bad) => utf8Problem(bad, row.line))];
      const checked = [...check(row), ...(opts.checkRow?.(row) ?? [])];
      found.push(...own);
      checks.push(...checked);
      for (const system of Object.keys(row.outputs)) systems.add(system);
      const errors = [...own, ...checked].filter((p) => p.severity === "error");
      if (errors.length) rowErrorLines.add(row.line);
      opts.onRow(row, errors);
    },
    strayBadUtf8: (lines) => lines.forEach((bad) => found.push(utf8Problem(bad, bad))),
    trimmed(line) {
      if (trimmedCount++ < 10) trimmed.push(line);
    },
  };

  function start() {
    detected = detectFormat(opts.filename, waiting.find((l) => l.text.trim() !== "")?.text ?? "");
    parser =
      detected.format === "jsonl"
        ? createJsonlParser(sink)
        : createDelimitedParser(detected.format === "tsv" ? "\t" : ",", sink);
    const lines = waiting;
    waiting = [];
    for (const l of lines) parser.line(l);
  }

  const reader = new LineReader((l) => {
    const isBlank = l.text.trim() === "";
    if (!isBlank) hasText = true;
    if (parser) return parser.line(l);
    waiting.push(l);
    if (!isBlank || waiting.length >= 50) start();
  });

  return {
    push(chunk: Uint8Array) {
      if (!sizeProblem) reader.push(chunk);
    },
    end(): EvalSetSummary {
      const base = { filename: opts.filename, limits, rowErrorLines };
      const fileProblem = sizeProblem ?? reader.end();
      if (fileProblem)
        return summarise(
          { ...base, format: null, formatDetectedBy: null, columns: [], problems: [fileProblem] },
          0,
          systems,
        );
      if (!hasText)
        return summarise(
          {
            ...base,
            format: null,
            formatDetectedBy: null,
            columns: [],
            problems: [
              fileError("empty_file", "The file contains only blank lines. Add a header and at least one row."),
            ],
          },
          0,
          systems,
        );
      if (!parser) start();
      const { columns, hasUsableRows } = parser!.end();
      let problems = found;
      if (badUtf8Count > MAX_UTF8_LINE_PROBLEMS) {
        problems = problems.filter((p) => p.code !== "invalid_utf8");
        problems.push(
          fileError(
            "invalid_utf8",
            `The file is not UTF-8: ${badUtf8Count} lines have invalid bytes (first on lines ${badUtf8.join(", ")}). It is probably in a legacy encoding such as Windows-1252. ${advice}`,
          ),
        );
      }
      if (hasUsableRows) {
        if (rowCount === 0 && !problems.some((p) => p.severity === "error"))
          problems.push(fileError("no_rows", "The file has no data rows. Add at least one row below the header."));
        problems.push(...checks, ...columnNotes(columns, trimmed, trimmedCount));
      }
      const { format, detectedBy } = detected!;
      return summarise({ ...base, format, formatDetectedBy: detectedBy, columns, problems }, rowCount, systems);
    },
  };
}

export type UploadBody = Uint8Array | Blob;

/**
 * The upload in slices of at most `sliceBytes`. A Blob is read as a stream, but one held in memory
 * (the form's File, as Next parses it) comes out as a single chunk of the whole file, so every
 * chunk is cut again: the rows awaiting storage never exceed a batch and a slice's worth.
 */
export async function* chunksOf(body: UploadBody, sliceBytes = 64 * 1024): AsyncGenerator<Uint8Array> {
  if (body instanceof Uint8Array) return yield* slices(body, sliceBytes);
  const reader = body.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield* slices(value, sliceBytes);
  }
}

function* slices(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/**
 * Parses an upload as it is read; after each chunk `afterChunk` may store the rows gathered so far
 * (awaited before the next chunk is read, so rows never pile up faster than they are stored).
 */
export async function parseEvalSetStream(
  opts: Omit<EvalSetParserOptions, "totalBytes"> & {
    body: UploadBody;
    afterChunk?: (bytesRead: number) => Promise<void> | void;
  },
): Promise<EvalSetSummary> {
  const totalBytes = opts.body instanceof Uint8Array ? opts.body.length : opts.body.size;
  const parser = createEvalSetParser({ ...opts, totalBytes });
  if (totalBytes <= resolveLimits(opts.limits).maxFileBytes) {
    let bytesRead = 0;
    for await (const chunk of chunksOf(opts.body)) {
      parser.push(chunk);
      bytesRead += chunk.length;
      await opts.afterChunk?.(bytesRead);
    }
  }
  return parser.end();
}

/** Keeps the preview's page of rows out of the rows streaming past. */
export function createPageCollector(rowOffset = 0) {
  const wanted = Math.max(0, Math.floor(rowOffset / PREVIEW_ROW_COUNT));
  let page: ParsedRow[] = [];
  let pageIndex = 0;
  let seen = 0;
  return {
    onRow(row: ParsedRow) {
      const p = Math.floor(seen++ / PREVIEW_ROW_COUNT);
      if (p > wanted) return;
      if (p !== pageIndex) [page, pageIndex] = [[], p];
      page.push(row);
    },
    /** The page asked for, or the last one when the file has fewer rows; every problem stays. */
    preview({ rowErrorLines: _, ...summary }: EvalSetSummary): EvalSetPreview {
      return {
        ...summary,
        rows: page,
        rowOffset: pageIndex * PREVIEW_ROW_COUNT,
        isTruncated: summary.rowCount > PREVIEW_ROW_COUNT,
      };
    },
  };
}

/** Parses an uploaded eval set and returns what the upload page shows: one page of rows and every problem. */
export function parseEvalSetUpload(args: ParseEvalSetUploadArgs): EvalSetPreview {
  const page = createPageCollector(args.rowOffset);
  const parser = createEvalSetParser({ ...args, totalBytes: args.bytes.length, onRow: page.onRow });
  parser.push(args.bytes);
  return page.preview(parser.end());
}

/** Parses an uploaded eval set keeping every row (tests, small files); nothing is stored. */
export function parseEvalSetFile(args: ParseEvalSetUploadArgs): ParsedEvalSet & { rowErrorLines: ReadonlySet<number> } {
  const rows: ParsedRow[] = [];
  const parser = createEvalSetParser({ ...args, totalBytes: args.bytes.length, onRow: (row) => rows.push(row) });
  parser.push(args.bytes);
  return { ...parser.end(), rows };
}

/** Notes the admin should read before importing: which column became the source, and trimmed spaces. */
function columnNotes(columns: RecognisedColumn[], trimmed: number[], count: number): ParseProblem[] {
  const notes: ParseProblem[] = [];
  const source = columns.find((c) => c.role === "source");
  if (source && normaliseColumnName(source.name) !== "source")
    notes.push({
      line: null,
      severity: "info",
      code: "source_column_chosen",
      message: `The "${source.name}" column is read as the source sentences (no column is named "source"). If the sentences are in another column, name that one "source".`,
    });
  if (count)
    notes.push({
      line: null,
      severity: "warning",
      code: "whitespace_trimmed",
      message: `Leading or trailing spaces are removed from ${count} source sentence${count === 1 ? "" : "s"} on import (line${count === 1 ? "" : "s"} ${trimmed.join(", ")}${count > 10 ? ", …" : ""}).`,
    });
  return notes;
}

function summarise(
  p: Omit<EvalSetSummary, "rowCount" | "errorCount" | "warningCount" | "systems">,
  rowCount: number,
  systems: Set<string>,
): EvalSetSummary {
  const problems = [...p.problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return {
    ...p,
    problems,
    systems: [...systems],
    rowCount,
    errorCount: problems.filter((x) => x.severity === "error").length,
    warningCount: problems.filter((x) => x.severity === "warning").length,
  };
}
