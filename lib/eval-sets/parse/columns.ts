import type { ParseProblem, RecognisedColumn } from "./schemas";

/** Accepted column names (case-insensitive; spaces and hyphens count as underscores). */
export const SOURCE_COLUMN_ALIASES = ["source", "text", "sentence", "input"] as const;
export const ID_COLUMN_ALIASES = ["id", "item_id", "itemid"] as const;
export const REFERENCE_COLUMN_PATTERN_DOC =
  "reference, ref, reference_1 ... reference_N (JSONL also: references as an array)";
export const OUTPUT_COLUMN_PATTERN_DOC =
  'output:<system name> (JSONL also: outputs: {"<system>": "text" | ["text", ...]})';

const REFERENCE_RE = /^(?:reference|ref)(?:_?\d+)?$/;
const OUTPUT_RE = /^output\s*:(.*)$/i;

export type ColumnClass =
  | { role: "source" | "id" | "reference" | "metadata" }
  | { role: "output"; system: string }
  | { role: "bad"; message: string };

export function normaliseColumnName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

export function classifyColumn(name: string): ColumnClass {
  const output = OUTPUT_RE.exec(name.trim());
  if (output) {
    const system = output[1].trim();
    if (!system)
      return {
        role: "bad",
        message: `Column "${name}" needs a system name after "output:", for example "output:gpt-4o".`,
      };
    return { role: "output", system };
  }
  const key = normaliseColumnName(name);
  if ((SOURCE_COLUMN_ALIASES as readonly string[]).includes(key)) return { role: "source" };
  if ((ID_COLUMN_ALIASES as readonly string[]).includes(key)) return { role: "id" };
  if (REFERENCE_RE.test(key)) return { role: "reference" };
  return { role: "metadata" };
}

export interface ColumnPlan {
  columns: RecognisedColumn[];
  /** Role of each header position, in order; metadata keys are unique. */
  byIndex: Array<{ role: RecognisedColumn["role"]; key: string; system?: string }>;
  problems: ParseProblem[];
  hasSource: boolean;
}

/**
 * Maps a CSV/TSV header to column roles. When several source (or id) aliases are present the
 * earliest alias in the documented order wins and the others are kept as metadata, so a file
 * with both "source" and "text" columns is not silently read from the wrong one.
 */
export function planColumns(headers: string[], headerLine: number): ColumnPlan {
  const problems: ParseProblem[] = [];
  const classes = headers.map((h) => classifyColumn(h));
  const sourceIndex = pickFirstByAlias(headers, classes, "source", SOURCE_COLUMN_ALIASES);
  const idIndex = pickFirstByAlias(headers, classes, "id", ID_COLUMN_ALIASES);
  const usedKeys = new Set<string>();
  const nextSuffix = new Map<string, number>();
  const byIndex: ColumnPlan["byIndex"] = [];
  const columns: RecognisedColumn[] = [];

  headers.forEach((header, i) => {
    const cls = classes[i];
    const name = header.trim() || `column_${i + 1}`;
    if (cls.role === "bad") {
      problems.push({ line: headerLine, severity: "error", code: "bad_column", message: cls.message });
      byIndex.push({ role: "metadata", key: "" });
      return;
    }
    let role: RecognisedColumn["role"] = cls.role;
    if ((role === "source" && i !== sourceIndex) || (role === "id" && i !== idIndex)) {
      const used = headers[role === "source" ? sourceIndex : idIndex];
      problems.push({
        line: headerLine,
        severity: "warning",
        code: "unknown_column",
        message: `Column "${name}" is kept as metadata because "${used}" is already used as the ${role} column.`,
      });
      role = "metadata";
    } else if (role === "metadata") {
      problems.push({
        line: headerLine,
        severity: "info",
        code: "unknown_column",
        message: `Unknown column "${name}" kept as metadata.`,
      });
    }
    const key = role === "metadata" ? uniqueKey(name, usedKeys, nextSuffix) : name;
    const system = cls.role === "output" ? cls.system : undefined;
    byIndex.push({ role, key, system });
    columns.push(system ? { name, role, system } : { name, role });
  });

  if (sourceIndex === -1)
    problems.push(missingSourceColumnProblem(headers.map((h) => h.trim()).filter(Boolean), headerLine));
  return { columns, byIndex, problems, hasSource: sourceIndex !== -1 };
}

export function missingSourceColumnProblem(found: string[], line: number | null): ParseProblem {
  const list = found.length ? found.map((c) => `"${c}"`).join(", ") : "none";
  return {
    line,
    severity: "error",
    code: "missing_source_column",
    message: `No source column found. Columns found: ${list}. Name the column with the sentences to paraphrase one of: ${SOURCE_COLUMN_ALIASES.join(", ")} (case-insensitive).`,
  };
}

function pickFirstByAlias(
  headers: string[],
  classes: ColumnClass[],
  role: "source" | "id",
  aliases: readonly string[],
): number {
  for (const alias of aliases) {
    const i = headers.findIndex((h, idx) => classes[idx].role === role && normaliseColumnName(h) === alias);
    if (i !== -1) return i;
  }
  return -1;
}

/**
 * `name`, or `name_2`, `name_3`, ... when taken. The next suffix to try is remembered per name,
 * so n identical headers take linear time: starting from 2 each time took 4 s for 10,000 of them
 * and froze the server meanwhile.
 */
function uniqueKey(name: string, used: Set<string>, nextSuffix: Map<string, number>): string {
  let key = name;
  if (used.has(key)) {
    let n = nextSuffix.get(name) ?? 2;
    while (used.has(`${name}_${n}`)) n++;
    nextSuffix.set(name, n + 1);
    key = `${name}_${n}`;
  }
  used.add(key);
  return key;
}
