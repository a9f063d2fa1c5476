import {
  classifyColumn,
  missingSourceColumnProblem,
  normaliseColumnName,
  SOURCE_COLUMN_ALIASES,
  ID_COLUMN_ALIASES,
} from "./columns";
import type { FormatParser, FormatSink } from "./format-sink";
import { nulProblem } from "./format-sink";
import type { PhysicalLine } from "./read-lines";
import type { ParsedRow, ParseProblem, RecognisedColumn } from "./schemas";
import { excerpt } from "./check-rows";
import { MAX_JSON_DEPTH, tooManyRowsProblem } from "./limits";

type Json = ParsedRow["metadata"][string];

/**
 * Reads JSON Lines one line at a time: one JSON object per line. A raw NUL byte inside a string is
 * read as the escape it stands for, so that it is reported as such on its field, not as bad JSON.
 */
export function createJsonlParser(sink: FormatSink): FormatParser {
  const columns = new Map<string, RecognisedColumn>();
  let hasSourceKey = false;
  let isFirst = true;
  let isStopped = false;
  let isArray = false;

  function line({ line, text, isBadUtf8 }: PhysicalLine) {
    if (isStopped) return;
    const raw = text.trim();
    if (raw === "") return sink.strayBadUtf8(isBadUtf8 ? [line] : []);
    if (isFirst && raw.startsWith("[")) {
      isArray = isStopped = true;
      sink.problem({
        line: null,
        severity: "error",
        code: "malformed_json",
        message:
          'The file is one JSON array, not JSON Lines. Put one object per line instead, e.g. {"source": "..."}, and save it as .jsonl.',
      });
      return;
    }
    isFirst = false;
    if (sink.rowCount() >= sink.maxRows) {
      isStopped = true;
      return sink.problem(tooManyRowsProblem(line, sink.maxRows));
    }
    const stray = () => sink.strayBadUtf8(isBadUtf8 ? [line] : []);
    const depth = nestingDepth(raw);
    if (depth > MAX_JSON_DEPTH) {
      stray();
      return sink.problem({
        line,
        severity: "error",
        code: "too_deep",
        message: `Line ${line} nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep; the limit is ${MAX_JSON_DEPTH}. Flatten its metadata.`,
      });
    }
    let value: unknown;
    try {
      value = JSON.parse(raw.includes("\u0000") ? raw.replaceAll("\u0000", "\\u0000") : raw);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      stray();
      return sink.problem({
        line,
        severity: "error",
        code: "malformed_json",
        message: `Line ${line} is not valid JSON (${detail}). Each line must be one JSON object, e.g. {"source": "..."}.`,
      });
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      stray();
      return sink.problem({
        line,
        severity: "error",
        code: "malformed_json",
        message: `Line ${line} is a JSON ${Array.isArray(value) ? "array" : typeof value}, not an object. Each line must be one JSON object, e.g. {"source": "..."}.`,
      });
    }
    const { row, rowProblems, keys, isSourceTrimmed } = toRow(value as Record<string, Json>, line);
    if (isSourceTrimmed) sink.trimmed(line);
    const notes: ParseProblem[] = [];
    for (const key of keys) {
      if (columns.has(key.name)) continue;
      columns.set(key.name, key);
      if (key.role === "metadata")
        notes.push({
          line,
          severity: "info",
          code: "unknown_column",
          message: `Unknown key "${key.name}" kept as metadata.`,
        });
    }
    if (keys.some((k) => k.role === "source")) hasSourceKey = true;
    sink.row(row, [...notes, ...rowProblems], isBadUtf8 ? [line] : []);
  }

  return {
    line,
    end() {
      if (isArray) return { columns: [], hasUsableRows: false };
      if (sink.rowCount() > 0 && !hasSourceKey) {
        sink.problem(missingSourceColumnProblem([...columns.keys()], null));
        return { columns: [...columns.values()], hasUsableRows: false };
      }
      return { columns: [...columns.values()], hasUsableRows: true };
    },
  };
}

function toRow(obj: Record<string, Json>, line: number) {
  const row: ParsedRow = { line, itemId: null, source: "", references: [], outputs: {}, metadata: {} };
  const rowProblems: ParseProblem[] = [];
  const keys: RecognisedColumn[] = [];
  let isSourceTrimmed = false;
  const sourceKey = pickKey(obj, SOURCE_COLUMN_ALIASES);
  const idKey = pickKey(obj, ID_COLUMN_ALIASES);
  const invalid = (key: string, expected: string, value: unknown = obj[key]) =>
    rowProblems.push({
      line,
      severity: "error",
      code: "invalid_field",
      message: `Line ${line}: "${key}" must be ${expected}, got ${describe(value)}.`,
    });

  // A list of outputs is ranked by position: an empty entry dropped would move every later one up a rank
  const emptyEntry = (key: string, system: string, value: unknown): boolean => {
    if (!Array.isArray(value)) return false;
    const at = value.findIndex((v) => typeof v === "string" && v.trim() === "");
    if (at === -1) return false;
    rowProblems.push({
      line,
      severity: "error",
      code: "invalid_field",
      message:
        `Line ${line}: "${key}" has an empty output at position ${at + 1} of ${value.length} for system "${system}". ` +
        "Outputs are ranked by their place in the list, so write the missing output or remove the entry.",
    });
    return true;
  };

  for (const [key, value] of Object.entries(obj)) {
    const norm = normaliseColumnName(key);
    for (const field of nulFields(key, norm, value)) rowProblems.push(nulProblem(line, field));
    if (norm === "references") {
      keys.push({ name: key, role: "reference" });
      const refs = asStrings(value);
      if (refs) row.references.push(...refs);
      else invalid(key, "a string or an array of strings");
    } else if (norm === "outputs") {
      keys.push({ name: key, role: "output" });
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        invalid(key, 'an object like {"<system>": "text" | ["text", ...]}');
        continue;
      }
      for (const [system, texts] of Object.entries(value)) {
        const outs = asStrings(texts);
        if (!outs) invalid(`${key}.${system}`, "a string or an array of strings", texts);
        else if (system.trim() === "") invalid(key, "keyed by non-empty system names");
        else if (!emptyEntry(`${key}.${system}`, system.trim(), texts)) addOutputs(row, system.trim(), outs);
      }
    } else {
      const cls = classifyColumn(key);
      const role =
        cls.role === "source" && key !== sourceKey
          ? "metadata"
          : cls.role === "id" && key !== idKey
            ? "metadata"
            : cls.role;
      if (role === "source") {
        keys.push({ name: key, role });
        if (typeof value === "string") {
          row.source = value.trim();
          isSourceTrimmed = row.source !== "" && row.source !== value;
        } else if (value !== null) invalid(key, "a string");
      } else if (role === "id") {
        keys.push({ name: key, role });
        if (typeof value === "string" || typeof value === "number") row.itemId = String(value).trim() || null;
        else if (value !== null) invalid(key, "a string or a number");
      } else if (role === "reference") {
        keys.push({ name: key, role });
        const refs = asStrings(value);
        if (refs) row.references.push(...refs);
        else invalid(key, "a string or an array of strings");
      } else if (role === "output" && cls.role === "output") {
        keys.push({ name: key, role, system: cls.system });
        const outs = asStrings(value);
        if (!outs) invalid(key, "a string or an array of strings");
        else if (!emptyEntry(key, cls.system, value)) addOutputs(row, cls.system, outs);
      } else if (role === "bad" && cls.role === "bad") {
        rowProblems.push({ line, severity: "error", code: "bad_column", message: `Line ${line}: ${cls.message}` });
      } else {
        keys.push({ name: key, role: "metadata" });
        row.metadata[key] = value;
      }
    }
  }
  return { row, rowProblems, keys, isSourceTrimmed };
}

/** The fields (key, or outputs.<system>) whose name or text holds U+0000. */
function nulFields(key: string, norm: string, value: unknown): string[] {
  if (key.includes("\u0000")) return [key];
  if (norm === "outputs" && typeof value === "object" && value !== null && !Array.isArray(value))
    return Object.entries(value)
      .filter(([system, v]) => system.includes("\u0000") || hasNul(v))
      .map(([system]) => `${key}.${system}`);
  return hasNul(value) ? [key] : [];
}

function hasNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (typeof value !== "object" || value === null) return false;
  return Object.entries(value).some(([k, v]) => k.includes("\u0000") || hasNul(v));
}

function pickKey(obj: Record<string, unknown>, aliases: readonly string[]): string | undefined {
  for (const alias of aliases) {
    const key = Object.keys(obj).find((k) => normaliseColumnName(k) === alias);
    if (key !== undefined) return key;
  }
  return undefined;
}

function addOutputs(row: ParsedRow, system: string, outs: string[]) {
  if (outs.length) (row.outputs[system] ??= []).push(...outs);
}

/** Strings trimmed, empty ones dropped; null for anything that is not a string or string[]. */
function asStrings(value: unknown): string[] | null {
  if (value === null) return [];
  const list = typeof value === "string" ? [value] : Array.isArray(value) ? value : null;
  if (!list || !list.every((v) => typeof v === "string")) return null;
  return (list as string[]).map((s) => s.trim()).filter((s) => s !== "");
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${excerpt(String(JSON.stringify(value)), 30)}`;
}

/**
 * How deeply a line of JSON nests objects and arrays, counted in one pass over the text (brackets
 * inside strings do not count), before JSON.parse builds it: parsing is iterative, but everything
 * after it (checks, storage, the preview's rendering) recurses and overflows the stack.
 * Stops counting once past the limit.
 */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) max = depth;
      if (max > MAX_JSON_DEPTH) return max;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return max;
}
