import type { ParseProblem } from "./schemas";
import { fileTooLargeMessage, type EvalSetLimits } from "./limits";

export type DecodeResult = { ok: true; text: string; badUtf8Lines: number[] } | { ok: false; problem: ParseProblem };

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Checks size and binary content, then decodes UTF-8 (BOM stripped) and normalises every line
 * ending (\r\n, \r, \n) to \n so line numbers match what an editor shows. Lines with invalid
 * UTF-8 are decoded with replacement characters and listed so the caller can flag their rows.
 */
export function decodeUpload(bytes: Uint8Array, limits: EvalSetLimits): DecodeResult {
  // Checked before anything else so an oversized upload costs no decoding.
  if (bytes.length > limits.maxFileBytes)
    return fileError("file_too_large", fileTooLargeMessage(bytes.length, limits.maxFileBytes));
  const start = hasPrefix(bytes, UTF8_BOM) ? 3 : 0;
  const body = bytes.subarray(start);
  if (body.length === 0)
    return fileError(
      "empty_file",
      "The file is empty. Upload a CSV, TSV or JSONL file with a header and at least one row.",
    );

  if (body.indexOf(0) !== -1) {
    const utf16 = hasPrefix(bytes, [0xff, 0xfe]) || hasPrefix(bytes, [0xfe, 0xff]);
    return fileError(
      "binary_file",
      utf16
        ? 'The file is UTF-16 encoded. Save it as UTF-8 (in Excel: "CSV UTF-8") and upload it again.'
        : "The file contains NUL bytes, so it looks like a binary file (a spreadsheet or archive?). Export it as CSV, TSV or JSONL text and upload that.",
    );
  }

  let text: string;
  let badUtf8Lines: number[] = [];
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    badUtf8Lines = findInvalidUtf8Lines(body);
    text = new TextDecoder("utf-8").decode(body);
  }
  text = text.replace(/\r\n?/g, "\n");
  if (text.trim() === "")
    return fileError("empty_file", "The file contains only blank lines. Add a header and at least one row.");
  return { ok: true, text, badUtf8Lines };
}

/** Line numbers (1-based) whose bytes are not valid UTF-8; line endings as in decodeUpload. */
export function findInvalidUtf8Lines(bytes: Uint8Array): number[] {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const bad: number[] = [];
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i <= bytes.length; i++) {
    const b = i < bytes.length ? bytes[i] : 0x0a;
    if (b !== 0x0a && b !== 0x0d) continue;
    try {
      decoder.decode(bytes.subarray(lineStart, i));
    } catch {
      bad.push(line);
    }
    if (b === 0x0d && bytes[i + 1] === 0x0a) i++;
    line++;
    lineStart = i + 1;
  }
  return bad;
}

/** Maps character offsets in normalised text to 1-based line numbers. */
export function createLineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

function hasPrefix(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function fileError(code: ParseProblem["code"], message: string): DecodeResult {
  return { ok: false, problem: { line: null, severity: "error", code, message } };
}
