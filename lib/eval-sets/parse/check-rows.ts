import { formatCount } from "./limits";
import type { ParsedRow, ParseProblem } from "./schemas";

/** Row-level checks shared by every format: empty source, over-long sentences, duplicates. */
export function checkRows(rows: ParsedRow[], maxSentenceChars: number): ParseProblem[] {
  const problems: ParseProblem[] = [];
  const idLines = new Map<string, number>();
  const sourceLines = new Map<string, number>();

  for (const row of rows) {
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
      const first = sourceLines.get(key);
      if (first !== undefined) {
        problems.push({
          line,
          severity: "warning",
          code: "duplicate_source",
          message: `Line ${line} repeats the source sentence of line ${first} ("${excerpt(key)}"). Both rows will be imported as separate items.`,
        });
      } else sourceLines.set(key, line);
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
  }
  return problems;
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
