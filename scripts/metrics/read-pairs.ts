/**
 * Reads `{source, output}` rows from JSON Lines or CSV/TSV (by extension, else by content), each
 * with its line number; other fields are carried through. A bad row becomes an error naming its
 * line and what to fix, and never stops the rows after it.
 */
import Papa from "papaparse";

export interface PairRow {
  line: number;
  source: string;
  output: string;
  /** Every other field of the row, as read. */
  extra: Record<string, unknown>;
}
export interface RowError {
  line: number;
  message: string;
}
export type ReadResult = { rows: PairRow[]; errors: RowError[]; notes: string[] };

const SOURCE_NAMES = ["source", "input", "sentence", "src"];
const OUTPUT_NAMES = ["output", "paraphrase", "prediction", "hypothesis", "target"];

export function readPairs(text: string, fileName = ""): ReadResult {
  const body = text.replace(/^\uFEFF/, "");
  if (body.trim() === "") return { rows: [], errors: [{ line: 1, message: "the file is empty" }], notes: [] };
  const isJsonl = /\.jsonl?$/i.test(fileName) || (!/\.(csv|tsv)$/i.test(fileName) && body.trimStart().startsWith("{"));
  return isJsonl ? readJsonl(body) : readDelimited(body, /\.tsv$/i.test(fileName) ? "\t" : undefined);
}

function toRow(line: number, record: Record<string, unknown>, names: { source: string; output: string }) {
  const source = record[names.source];
  const output = record[names.output];
  const problems: string[] = [];
  if (typeof source !== "string") problems.push(`"${names.source}" is ${describe(source)}; it must be text`);
  if (typeof output !== "string") problems.push(`"${names.output}" is ${describe(output)}; it must be text`);
  if (problems.length) return { error: { line, message: problems.join("; ") } };
  const extra = { ...record };
  delete extra[names.source];
  delete extra[names.output];
  return { row: { line, source: source as string, output: output as string, extra } };
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  return `a ${Array.isArray(value) ? "list" : typeof value}`;
}

function readJsonl(text: string): ReadResult {
  const out: ReadResult = { rows: [], errors: [], notes: [] };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      out.errors.push({ line, message: `not valid JSON (${(err as Error).message})` });
      return;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      out.errors.push({ line, message: 'each line must be a JSON object such as {"source": "...", "output": "..."}' });
      return;
    }
    const r = toRow(line, parsed as Record<string, unknown>, { source: "source", output: "output" });
    if (r.error) out.errors.push(r.error);
    else out.rows.push(r.row);
  });
  return out;
}

function readDelimited(text: string, delimiter?: string): ReadResult {
  const out: ReadResult = { rows: [], errors: [], notes: [] };
  // Each record with the line it starts on (a quoted field may span lines), from the parser's cursor.
  const data: string[][] = [];
  const starts: number[] = [];
  let cursor = 0;
  let line = 1;
  Papa.parse<string[]>(text, {
    delimiter,
    skipEmptyLines: false,
    step: (result) => {
      data.push(result.data);
      starts.push(line);
      for (let i = cursor; i < result.meta.cursor; i++) if (text[i] === "\n") line++;
      cursor = result.meta.cursor;
    },
  });
  const [header, ...records] = data;
  const lower = header.map((h) => h.trim().toLowerCase());
  const sourceAt = lower.findIndex((h) => SOURCE_NAMES.includes(h));
  const outputAt = lower.findIndex((h) => OUTPUT_NAMES.includes(h));
  if (sourceAt < 0 || outputAt < 0) {
    out.errors.push({
      line: 1,
      message: `the header needs a source column (${SOURCE_NAMES.join(", ")}) and an output column (${OUTPUT_NAMES.join(", ")}); it has: ${header.join(", ")}`,
    });
    return out;
  }
  out.notes.push(`columns: "${header[sourceAt]}" as the source, "${header[outputAt]}" as the output`);
  const names = { source: header[sourceAt], output: header[outputAt] };
  records.forEach((cells, i) => {
    const at = starts[i + 1] ?? i + 2;
    if (cells.length === 1 && cells[0].trim() === "") return;
    if (cells.length !== header.length) {
      out.errors.push({ line: at, message: `${cells.length} fields where the header has ${header.length}` });
      return;
    }
    const record = Object.fromEntries(header.map((h, j) => [h, cells[j]]));
    const r = toRow(at, record, names);
    if (r.error) out.errors.push(r.error);
    else out.rows.push(r.row);
  });
  return out;
}
