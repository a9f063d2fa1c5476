/**
 * The paper's table for one study, one row per system: parameters and ratio to the teacher,
 * latency and throughput, cost, semantic similarity, tree edit distance, WPD, LD and the human
 * scores with their intervals; as rows, as CSV, and as a LaTeX (booktabs) table to paste.
 * Figures come from the results and the automatic metrics (on the outputs people rate); a figure
 * that is missing shows its reason in the rows and "--" in the files.
 */
import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { requireStudyAccess } from "@/lib/studies";
import { csvLine } from "./csv";
import { computeStudyMetrics, type MetricKey } from "./get-study-metrics";
import { currentStudyResults } from "./view-study-results";

export const PaperTableInput = z.object({
  studyId: z.uuid("Not a study id"),
  format: z.enum(["csv", "latex", "json"]).default("csv"),
});

type Cell = { value: number | null; lower?: number | null; upper?: number | null; reason?: string; basis?: string };
export interface PaperTableRow {
  system: string;
  role: "TEACHER" | "STUDENT";
  parameters: Cell;
  parameterRatio: Cell;
  medianLatencyMs: Cell;
  paraphrasesPerSecond: Cell;
  costPer1000: Cell;
  metrics: Record<"semanticSimilarity" | "treeEditDistance" | "wordPositionDeviation" | "lexicalDeviation", Cell>;
  human: Record<string, Cell>;
}

const PAPER_METRICS = ["semanticSimilarity", "treeEditDistance", "wordPositionDeviation", "lexicalDeviation"] as const;
const METRIC_HEADERS: Record<(typeof PAPER_METRICS)[number], string> = {
  semanticSimilarity: "Sem. sim.",
  treeEditDistance: "TED",
  wordPositionDeviation: "WPD",
  lexicalDeviation: "LD",
};

/** The table's rows and the criteria (human score columns) of a study. */
export async function getPaperTable(
  actor: Actor | null,
  input: { studyId: string; format?: string },
  db: DbOrTx = prisma,
) {
  requirePermission(actor, "results:export");
  const { studyId, format } = PaperTableInput.parse(input);
  await requireStudyAccess(actor, studyId, "read", db); // its owner, collaborators and admins only
  const { results } = await currentStudyResults({ studyId, scale: "z" }, db);
  const metrics = await computeStudyMetrics(studyId, db, { requestedBy: actor?.id ?? null });
  const teacher = results.efficiency.find((e) => e.role === "TEACHER");
  const teacherParams = teacher?.parameterCount.ok ? teacher.parameterCount.value : null;
  const rows: PaperTableRow[] = results.efficiency.map((e) => {
    const m = metrics.systems.find((s) => s.systemId === e.systemId);
    const metricCell = (key: MetricKey): Cell => {
      const r = m?.metrics.find((x) => x.key === key)?.result;
      if (!r) return { value: null, reason: "no outputs" };
      return r.ok ? { value: r.estimate, lower: r.lower, upper: r.upper } : { value: null, reason: r.reason };
    };
    const params = e.parameterCount.ok ? e.parameterCount.value : null;
    return {
      system: e.name,
      role: e.role,
      parameters: e.parameterCount.ok ? { value: params } : { value: null, reason: e.parameterCount.reason },
      parameterRatio:
        params !== null && teacherParams
          ? { value: params / teacherParams }
          : { value: null, reason: "needs both parameter counts" },
      medianLatencyMs: e.latency.ok ? { value: e.latency.medianMs } : { value: null, reason: e.latency.reason },
      paraphrasesPerSecond: e.latency.ok
        ? { value: e.latency.paraphrasesPerSecond }
        : { value: null, reason: e.latency.reason },
      // The results' own figure (tokens, or CPU time for an ONNX student), so the table and the page agree.
      costPer1000: e.costPer1000.ok
        ? { value: e.costPer1000.value, basis: e.costPer1000.basis }
        : { value: null, reason: e.costPer1000.reason },
      metrics: Object.fromEntries(PAPER_METRICS.map((k) => [k, metricCell(k)])) as PaperTableRow["metrics"],
      human: Object.fromEntries(
        results.criteria.map((c) => {
          const d = results.statistics.descriptives.find((x) => x.systemId === e.systemId && x.criterion === c.key);
          if (!d || !d.result.ok)
            return [c.key, { value: null, reason: d && !d.result.ok ? d.result.reason : "not rated" }];
          const ci = d.result.meanCI;
          return [c.key, { value: d.result.mean, lower: ci.ok ? ci.lower : null, upper: ci.ok ? ci.upper : null }];
        }),
      ),
    };
  });
  const table = { study: results.study.name, dataset: results.dataset.label, criteria: results.criteria, rows };
  const slug = results.study.name.replace(/[^\w.-]+/g, "_").slice(0, 60) || "study";
  const suffix = results.dataset.label === "SIMULATED" ? "-SIMULATED" : "";
  if (format === "latex")
    return {
      filename: `${slug}-table${suffix}.tex`,
      contentType: "application/x-tex; charset=utf-8",
      body: toLatex(table),
    };
  if (format === "json")
    return {
      filename: `${slug}-table${suffix}.json`,
      contentType: "application/json",
      body: JSON.stringify(table, null, 2),
    };
  return { filename: `${slug}-table${suffix}.csv`, contentType: "text/csv; charset=utf-8", body: toCsv(table) };
}

type Table = { study: string; dataset: string; criteria: { key: string; label: string }[]; rows: PaperTableRow[] };

function headers(t: Table) {
  return [
    "System",
    "Params",
    "Ratio",
    "Latency (ms)",
    "Para/s",
    "Cost / 1k",
    ...PAPER_METRICS.map((k) => METRIC_HEADERS[k]),
    ...t.criteria.map((c) => c.label),
  ];
}

function fmt(c: Cell, digits = 2): string {
  if (c.value === null) return "--";
  const v = c.value.toFixed(digits);
  return c.lower != null && c.upper != null ? `${v} [${c.lower.toFixed(digits)}, ${c.upper.toFixed(digits)}]` : v;
}

function cells(r: PaperTableRow, t: Table): string[] {
  return [
    r.system,
    r.parameters.value === null ? "--" : r.parameters.value.toLocaleString("en-US"),
    fmt(r.parameterRatio, 4),
    fmt(r.medianLatencyMs, 1),
    fmt(r.paraphrasesPerSecond, 1),
    // A student's CPU cost is a fraction of a cent: significant digits, not two decimals that read 0.00.
    r.costPer1000.value !== null && r.costPer1000.value < 1 ? r.costPer1000.value.toPrecision(2) : fmt(r.costPer1000),
    ...PAPER_METRICS.map((k) => fmt(r.metrics[k])),
    ...t.criteria.map((c) => fmt(r.human[c.key])),
  ];
}

export function toCsv(t: Table): string {
  return csvLine(["dataset", ...headers(t)]) + t.rows.map((r) => csvLine([t.dataset, ...cells(r, t)])).join("");
}

const LATEX_SPECIAL: Record<string, string> = {
  "\\": "\\textbackslash{}",
  "&": "\\&",
  "%": "\\%",
  $: "\\$",
  "#": "\\#",
  _: "\\_",
  "{": "\\{",
  "}": "\\}",
  "~": "\\textasciitilde{}",
  "^": "\\textasciicircum{}",
};
export const latexEscape = (s: string) => s.replace(/[\\&%$#_{}~^]/g, (c) => LATEX_SPECIAL[c]);

export function toLatex(t: Table): string {
  const h = headers(t);
  const lines = [
    "% Needs \\usepackage{booktabs}. Values: mean [95% CI]; -- = not recorded.",
    "\\begin{table}[t]",
    "\\centering",
    "\\small",
    `\\begin{tabular}{l${"r".repeat(h.length - 1)}}`,
    "\\toprule",
    `${h.map(latexEscape).join(" & ")} \\\\`,
    "\\midrule",
    ...t.rows.map((r) => `${cells(r, t).map(latexEscape).join(" & ")} \\\\`),
    "\\bottomrule",
    "\\end{tabular}",
    `\\caption{${latexEscape(t.study)}${t.dataset === "SIMULATED" ? " (SIMULATED ratings)" : ""}: size, speed, automatic metrics and human ratings per system.}`,
    "\\end{table}",
    "",
  ];
  return lines.join("\n");
}
