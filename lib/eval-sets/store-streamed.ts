import { ValidationError } from "@/lib/errors";
import {
  everyRowBad,
  judgeProblems,
  parseEvalSetStream,
  type EvalSetSummary,
  type ParsedRow,
  type ParseProblem,
  type UploadBody,
} from "./parse";
import { INSERT_BATCH } from "./insert-rows";

/** The upload as given: the form's File, or bytes. */
export function bodyOf(input: { bytes?: Uint8Array; file?: Blob }): UploadBody {
  return input.file ?? input.bytes ?? new Uint8Array();
}

export interface StoreStreamedArgs {
  filename: string;
  body: UploadBody;
  dropBadRows: boolean;
  teacherSystems: readonly string[];
  noRowsMessage: string;
  /** Checks of each row beyond the file's own. */
  checkRow?: (row: ParsedRow) => ParseProblem[];
  /** Problems only the whole file shows (adding outputs: no output column at all). */
  fileProblems?: (summary: EvalSetSummary) => ParseProblem[];
  /** Stores one batch of rows (at most INSERT_BATCH) inside the caller's transaction. */
  store: (rows: ParsedRow[]) => Promise<void>;
  /** After each batch: rows stored, and the rows the file should hold judging by the bytes read. */
  onStored?: (done: number, estimatedTotal: number) => void;
}

export interface StoreStreamedResult {
  summary: EvalSetSummary;
  storedCount: number;
  droppedLines: number[];
}

/**
 * Parses an upload as it arrives and stores its rows batch by batch, so memory holds one batch,
 * not the file. All-or-nothing stays with the caller's transaction: a blocking problem found
 * anywhere, even after batches went in, throws here and the transaction rolls back. Unless
 * `dropBadRows`, the first row error stops the storing (parsing goes on to list every problem).
 */
export async function storeStreamed(args: StoreStreamedArgs): Promise<StoreStreamedResult> {
  const totalBytes = args.body instanceof Uint8Array ? args.body.length : args.body.size;
  let batch: ParsedRow[] = [];
  let stored = 0;
  let seen = 0;
  let isStopped = false;

  async function flush(rows: ParsedRow[]) {
    await args.store(rows);
    stored += rows.length;
  }

  const parsed = await parseEvalSetStream({
    filename: args.filename,
    body: args.body,
    checkRow: args.checkRow,
    onRow(row, errors) {
      seen++;
      if (errors.length && !args.dropBadRows) isStopped = true;
      if (errors.length || isStopped) return;
      batch.push(row);
    },
    async afterChunk(bytesRead) {
      if (isStopped) batch = [];
      while (batch.length >= INSERT_BATCH) {
        await flush(batch.slice(0, INSERT_BATCH));
        batch = batch.slice(INSERT_BATCH);
        args.onStored?.(stored, Math.max(seen, Math.round((seen * totalBytes) / Math.max(1, bytesRead))));
      }
    },
  });
  const extra = args.fileProblems?.(parsed) ?? [];
  const summary = extra.length ? { ...parsed, problems: [...extra, ...parsed.problems] } : parsed;

  const verdict = judgeProblems(summary.problems, (line) => summary.rowErrorLines.has(line), args);
  const refusal = !verdict.ok
    ? verdict
    : stored + batch.length === 0 && summary.rowCount > 0
      ? everyRowBad(summary.problems)
      : null;
  if (refusal) {
    const fields: Record<string, string> = {};
    for (const p of refusal.blockingProblems.slice(0, 50)) {
      const key = p.line ? `line ${p.line}` : "file";
      // One line can have several problems (no source and a repeated id): keep them all.
      fields[key] = fields[key] ? `${fields[key]} ${p.message}` : p.message;
    }
    throw new ValidationError(refusal.reason, fields);
  }
  if (stored + batch.length === 0) throw new ValidationError(args.noRowsMessage);
  const unknownTeachers = args.teacherSystems.filter((t) => !summary.systems.includes(t));
  if (unknownTeachers.length)
    throw new ValidationError(`The file has no output column for ${unknownTeachers.map((t) => `"${t}"`).join(", ")}`);
  if (batch.length) await flush(batch);
  args.onStored?.(stored, stored);
  const droppedLines = verdict.ok ? [...verdict.badLines].sort((a, b) => a - b) : [];
  return { summary, storedCount: stored, droppedLines };
}
