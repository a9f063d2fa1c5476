import type { ParseProblem } from "./schemas";

/** One line of the file: 1-based number (\r\n, \r and \n all end a line), decoded text. */
export interface PhysicalLine {
  line: number;
  text: string;
  /** The line's bytes are not valid UTF-8; `text` has replacement characters. */
  isBadUtf8: boolean;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
/** Bytes looked at to tell a binary file (a spreadsheet, an archive, UTF-16) from text. */
const SNIFF_BYTES = 8192;

/**
 * Splits an upload arriving in chunks into lines, holding only the unfinished line between chunks.
 * Splitting bytes on \n and \r is safe in UTF-8 (neither occurs inside a multi-byte character), and
 * decoding line by line lets a line with invalid bytes be named. A BOM is dropped; a binary file is
 * refused from its first bytes, while a stray NUL in a text file reaches the row checks, which name
 * its line and field.
 */
export class LineReader {
  private sniff: Uint8Array[] = [];
  private sniffed = 0;
  private isSniffing = true;
  private pending: Uint8Array[] = [];
  private lineNo = 0;
  private skipLf = false;
  private bodyBytes = 0;
  private readonly fatal = new TextDecoder("utf-8", { fatal: true });
  private readonly lossy = new TextDecoder("utf-8");
  problem: ParseProblem | null = null;

  constructor(private readonly onLine: (l: PhysicalLine) => void) {}

  push(chunk: Uint8Array): void {
    if (this.problem) return;
    if (!this.isSniffing) return this.split(chunk);
    this.sniff.push(chunk.slice());
    this.sniffed += chunk.length;
    if (this.sniffed >= SNIFF_BYTES) this.endSniff();
  }

  /** Flushes the last line; returns a file-level problem (empty or binary) or null. */
  end(): ParseProblem | null {
    if (this.isSniffing) this.endSniff();
    if (this.problem) return this.problem;
    if (this.pending.length) this.emit(new Uint8Array());
    if (this.bodyBytes === 0)
      this.problem = fileError(
        "empty_file",
        "The file is empty. Upload a CSV, TSV or JSONL file with a header and at least one row.",
      );
    return this.problem;
  }

  private endSniff(): void {
    this.isSniffing = false;
    const head = concat(this.sniff);
    this.sniff = [];
    const body = hasPrefix(head, UTF8_BOM) ? head.subarray(3) : head;
    if (looksBinary(body)) {
      const utf16 = hasPrefix(head, [0xff, 0xfe]) || hasPrefix(head, [0xfe, 0xff]);
      this.problem = fileError(
        "binary_file",
        utf16
          ? 'The file is UTF-16 encoded. Save it as UTF-8 (in Excel: "CSV UTF-8") and upload it again.'
          : "The file contains NUL bytes, so it looks like a binary file (a spreadsheet or archive?). Export it as CSV, TSV or JSONL text and upload that.",
      );
      return;
    }
    this.split(body);
  }

  private split(chunk: Uint8Array): void {
    this.bodyBytes += chunk.length;
    let start = 0;
    if (this.skipLf && chunk.length) {
      if (chunk[0] === 0x0a) start = 1;
      this.skipLf = false;
    }
    for (let i = start; i < chunk.length; i++) {
      const b = chunk[i];
      if (b !== 0x0a && b !== 0x0d) continue;
      this.emit(chunk.subarray(start, i));
      if (b === 0x0d) {
        if (i + 1 === chunk.length) this.skipLf = true;
        else if (chunk[i + 1] === 0x0a) i++;
      }
      start = i + 1;
    }
    // Copied: the caller may reuse its buffer for the next chunk.
    if (start < chunk.length) this.pending.push(chunk.slice(start));
  }

  private emit(tail: Uint8Array): void {
    const bytes = this.pending.length ? concat([...this.pending, tail]) : tail;
    this.pending = [];
    this.lineNo++;
    try {
      this.onLine({ line: this.lineNo, text: this.fatal.decode(bytes), isBadUtf8: false });
    } catch (err) {
      if (!(err instanceof TypeError)) throw err;
      this.onLine({ line: this.lineNo, text: this.lossy.decode(bytes), isBadUtf8: true });
    }
  }
}

/**
 * NULs in the first bytes with invalid UTF-8 around them (an archive, an image, a legacy
 * spreadsheet), or NULs in more than one byte in eight (UTF-16 text): one NUL in UTF-8 text is a
 * row's problem, not the file's.
 */
function looksBinary(head: Uint8Array): boolean {
  let nuls = 0;
  for (const b of head) if (b === 0) nuls++;
  if (nuls === 0) return false;
  if (nuls >= 2 && nuls * 8 > head.length) return true;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true }); // a cut character at the end is fine
    return false;
  } catch {
    return true;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function hasPrefix(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

export function fileError(code: ParseProblem["code"], message: string): ParseProblem {
  return { line: null, severity: "error", code, message };
}
