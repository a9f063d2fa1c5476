/**
 * Upload limits for eval set files. Exported so the upload page can state them next to the
 * file picker; the parser enforces them before it parses the whole file.
 */
export const MAX_EVAL_SET_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_EVAL_SET_ROWS = 50_000;
export const MAX_SENTENCE_CHARS = 1000;
/** How many parsed rows the preview shows. */
export const PREVIEW_ROW_COUNT = 20;

export interface EvalSetLimits {
  maxFileBytes: number;
  maxRows: number;
  maxSentenceChars: number;
}

export const DEFAULT_EVAL_SET_LIMITS: Readonly<EvalSetLimits> = Object.freeze({
  maxFileBytes: MAX_EVAL_SET_FILE_BYTES,
  maxRows: MAX_EVAL_SET_ROWS,
  maxSentenceChars: MAX_SENTENCE_CHARS,
});

export function resolveLimits(limits?: Partial<EvalSetLimits>): EvalSetLimits {
  return { ...DEFAULT_EVAL_SET_LIMITS, ...stripUndefined(limits ?? {}) };
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

function stripUndefined<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}
