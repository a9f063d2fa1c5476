import { formatCount } from "./limits";
import type { ParsedRow, ParseProblem } from "./schemas";

/**
 * Row-level checks shared by every format, one row at a time: empty source, over-long sentences,
 * duplicates. To find repeated sources it keeps a 53-bit hash of each, not the sentence (up to
 * 1,000 characters a row); a collision would only add a false "repeats" warning, never an error.
 */
export function createRowChecker(maxSentenceChars: number): (row: ParsedRow) => ParseProblem[] {
  const idLines = new Map<string, number>();
  const sourceLines = new Map<number, number>();
  return (row) => {
    const problems: ParseProblem[] = [];
    const { line } = row;
    if (row.source.trim() === "") {
      problems.push({
        line,
        severity: "error",
        code: "missing_source",
        message: `Line ${line} has no source sentence. Fill it in or remove the row.`,
      });
    } else {
      const key = row.source.trim().replace(/\s+/g, " ");
      const first = sourceLines.get(hash53(key));
      if (first !== undefined) {
        problems.push({
          line,
          severity: "warning",
          code: "duplicate_source",
          message: `Line ${line} repeats the source sentence of line ${first} ("${excerpt(key)}"). Both rows will be imported as separate items.`,
        });
      } else sourceLines.set(hash53(key), line);
    }

    if (row.itemId !== null) {
      const first = idLines.get(row.itemId);
      if (first !== undefined) {
        problems.push({
          line,
          severity: "error",
          code: "duplicate_id",
          message: `Line ${line} uses id "${row.itemId}", already used on line ${first}. Ids must be unique.`,
        });
      } else idLines.set(row.itemId, line);
    }

    for (const [field, text] of sentencesOf(row)) {
      if (text.length > maxSentenceChars) {
        problems.push({
          line,
          severity: "error",
          code: "sentence_too_long",
          message: `Line ${line}: the ${field} is ${formatCount(text.length)} characters; the limit is ${formatCount(maxSentenceChars)}. Shorten it or split it into sentences.`,
        });
      }
    }
    return problems;
  };
}

/** cyrb53: a fast, well-spread 53-bit string hash. */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

function* sentencesOf(row: ParsedRow): Generator<[string, string]> {
  yield ["source", row.source];
  for (const [i, ref] of row.references.entries()) yield [`reference ${i + 1}`, ref];
  for (const [system, outputs] of Object.entries(row.outputs)) {
    for (const [i, out] of outputs.entries()) yield [`output ${i + 1} of "${system}"`, out];
  }
}

export function excerpt(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
