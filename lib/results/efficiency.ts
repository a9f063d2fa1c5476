/**
 * Size and speed of each system from what was measured: parameter counts and sizes on disk as
 * recorded on the system, latency per paraphrase from Output.latencyMs (wall time of the call
 * divided by the paraphrases it returned). Nothing is estimated: a system without a recorded
 * figure gets the reason instead.
 */
import {
  bootstrapCI,
  drawResamples,
  mean,
  quantile,
  sumRows,
  type BootstrapInterval,
  type SharedResamples,
} from "@/lib/stats";
import type { LatencyRow, StudySystemRow } from "./queries";
import type { Maybe } from "./schemas";

export interface LatencySummary {
  outputs: number;
  timedOutputs: number;
  medianMs: number;
  p95Ms: number;
  meanMs: number;
  /** Paraphrases per second of one stream: 1000 / mean latency. */
  paraphrasesPerSecond: number;
  /** Generated tokens per second, where token counts were recorded. */
  tokensPerSecond: number | null;
}

export interface SystemEfficiency {
  systemId: string;
  name: string;
  role: "TEACHER" | "STUDENT";
  kind: string;
  parameterCount: Maybe<{ value: number }>;
  sizeOnDiskBytes: Maybe<{ value: number }>;
  latency: Maybe<LatencySummary>;
  /**
   * Money per 1,000 paraphrases at the prices an admin set: recorded tokens (hosted systems), or
   * recorded CPU time (ONNX students priced per CPU-hour). `basis` says which, with the figures
   * (absent in results stored before it existed).
   */
  costPer1000: Maybe<{ value: number; outputsPriced: number; basis?: string }>;
  /** Students: CPU time per paraphrase of the ONNX batches (process CPU / outputs of the batch). */
  cpu: Maybe<{ meanMs: number; secondsPer1000: number; outputs: number }>;
}

/**
 * Cost of 1,000 paraphrases from the outputs' recorded tokens: a request's prompt is stored on
 * each of its outputs, so it counts once per item (the largest), completions add up.
 */
export function tokenCostPer1000(s: StudySystemRow, own: readonly LatencyRow[]): SystemEfficiency["costPer1000"] {
  if (s.inputPrice == null && s.outputPrice == null)
    return {
      ok: false,
      reason: `no price per token is set for ${s.name} (Systems page)`,
    };
  const withUsage = own.filter((t) => t.promptTokens != null || t.completionTokens != null);
  if (!withUsage.length) return { ok: false, reason: `no token counts were recorded for the outputs of ${s.name}` };
  const promptByItem = new Map<string, number>();
  let completion = 0;
  for (const t of withUsage) {
    promptByItem.set(t.itemId, Math.max(promptByItem.get(t.itemId) ?? 0, t.promptTokens ?? 0));
    completion += t.completionTokens ?? 0;
  }
  const prompt = [...promptByItem.values()].reduce((a, b) => a + b, 0);
  const spent = (prompt * (s.inputPrice ?? 0) + completion * (s.outputPrice ?? 0)) / 1e6;
  const prices = `${s.inputPrice ?? 0} / ${s.outputPrice ?? 0} per 1M input / output tokens`;
  return {
    ok: true,
    value: (spent / withUsage.length) * 1000,
    outputsPriced: withUsage.length,
    basis: `recorded tokens of ${withUsage.length} outputs at ${prices}`,
  };
}

const MS_PER_HOUR = 3.6e6;

/**
 * Cost of 1,000 paraphrases of a student that runs here: mean CPU time per paraphrase (ms) x
 * 1,000 / 3.6e6 ms per hour x the price per CPU-hour.
 */
export function cpuCostPer1000(s: StudySystemRow, own: readonly LatencyRow[]): SystemEfficiency["costPer1000"] {
  if (s.cpuHourPrice == null)
    return { ok: false, reason: `no price per CPU-hour for ${s.name}: set a price per CPU-hour on the Systems page` };
  const cpu = cpuTime(s, own);
  if (!cpu.ok) return cpu;
  return {
    ok: true,
    value: ((cpu.meanMs * 1000) / MS_PER_HOUR) * s.cpuHourPrice,
    outputsPriced: cpu.outputs,
    basis: `CPU time: ${cpu.meanMs.toFixed(1)} ms per paraphrase (mean of ${cpu.outputs}) at ${s.cpuHourPrice} per CPU-hour`,
  };
}

/**
 * An ONNX student is priced by its CPU time, unless an admin priced it by tokens only (before
 * CPU-hour prices existed); every other system by its tokens.
 */
function costPer1000(s: StudySystemRow, own: readonly LatencyRow[]): SystemEfficiency["costPer1000"] {
  const tokenPriced = s.inputPrice != null || s.outputPrice != null;
  return s.kind === "ONNX_MODEL" && (s.cpuHourPrice != null || !tokenPriced)
    ? cpuCostPer1000(s, own)
    : tokenCostPer1000(s, own);
}

function cpuTime(s: StudySystemRow, own: readonly LatencyRow[]): SystemEfficiency["cpu"] {
  const timed = own.filter((t) => t.cpuMs != null && Number.isFinite(t.cpuMs));
  if (!timed.length)
    return {
      ok: false,
      reason:
        s.kind === "ONNX_MODEL"
          ? `CPU time of ${s.name} is not recorded (outputs generated before it was)`
          : `not measured: ${s.name} does not run here`,
    };
  const meanMs = mean(timed.map((t) => t.cpuMs!));
  return { ok: true, meanMs, secondsPer1000: meanMs, outputs: timed.length };
}

const notRecorded = (what: string, s: StudySystemRow) => ({
  ok: false as const,
  reason: `${what} of ${s.name} is not recorded${s.kind === "EXTERNAL" ? " (outputs imported from elsewhere)" : s.kind === "LLM_API" ? " (a hosted LLM does not publish it)" : ""}`,
});

export function systemEfficiency(
  systems: readonly StudySystemRow[],
  timings: readonly LatencyRow[],
): SystemEfficiency[] {
  return systems.map((s) => {
    const own = timings.filter((t) => t.systemId === s.id);
    const timed = own.filter((t) => t.latencyMs !== null && Number.isFinite(t.latencyMs));
    let latency: Maybe<LatencySummary>;
    if (!timed.length) {
      latency = own.length
        ? notRecorded("The latency", s)
        : { ok: false, reason: `no outputs of ${s.name} for this study's settings` };
    } else {
      const ms = timed.map((t) => t.latencyMs!);
      const meanMs = mean(ms);
      const tokens = timed.filter((t) => t.completionTokens !== null);
      const tokenMs = tokens.reduce((acc, t) => acc + t.latencyMs!, 0);
      latency = {
        ok: true,
        outputs: own.length,
        timedOutputs: timed.length,
        medianMs: quantile(ms, 0.5),
        p95Ms: quantile(ms, 0.95),
        meanMs,
        paraphrasesPerSecond: meanMs > 0 ? 1000 / meanMs : 0,
        tokensPerSecond:
          tokens.length && tokenMs > 0
            ? tokens.reduce((acc, t) => acc + t.completionTokens!, 0) / (tokenMs / 1000)
            : null,
      };
    }
    return {
      systemId: s.id,
      name: s.name,
      role: s.role,
      kind: s.kind,
      parameterCount:
        s.parameterCount !== null ? { ok: true, value: s.parameterCount } : notRecorded("The parameter count", s),
      sizeOnDiskBytes:
        s.sizeOnDiskBytes !== null ? { ok: true, value: s.sizeOnDiskBytes } : notRecorded("The size on disk", s),
      latency,
      costPer1000: costPer1000(s, own),
      cpu: cpuTime(s, own),
    };
  });
}

/** Per-item mean latency of every system: item order and one array per system, NaN where untimed. */
export function itemLatencyTable(timings: readonly LatencyRow[]): {
  items: number;
  bySystem: Map<string, Float64Array>;
} {
  const items = new Map<string, number>();
  for (const t of timings) if (!items.has(t.itemId)) items.set(t.itemId, items.size);
  const sums = new Map<string, { sum: Float64Array; n: Float64Array }>();
  for (const t of timings) {
    if (t.latencyMs === null) continue;
    let acc = sums.get(t.systemId);
    if (!acc) sums.set(t.systemId, (acc = { sum: new Float64Array(items.size), n: new Float64Array(items.size) }));
    const i = items.get(t.itemId)!;
    acc.sum[i] += t.latencyMs;
    acc.n[i]++;
  }
  const bySystem = new Map<string, Float64Array>();
  for (const [id, acc] of sums)
    bySystem.set(
      id,
      acc.sum.map((x, i) => (acc.n[i] ? x / acc.n[i] : NaN)),
    );
  return { items: items.size, bySystem };
}

/**
 * How many times faster the student is: teacher mean latency / student mean latency per
 * paraphrase over the items both were timed on, with a bootstrap CI over items (paired: an
 * item's two latencies move together, since long sources are slow for both). Pass the same
 * `resamples` for every student to draw the items once.
 */
export function speedup(args: {
  table: ReturnType<typeof itemLatencyTable>;
  teacherId: string;
  studentId: string;
  resamples?: SharedResamples;
}): Maybe<BootstrapInterval & { items: number }> {
  const teacher = args.table.bySystem.get(args.teacherId);
  const student = args.table.bySystem.get(args.studentId);
  if (!teacher) return { ok: false, reason: "the teacher's latency is not recorded" };
  if (!student) return { ok: false, reason: "the student's latency is not recorded" };
  const n = args.table.items;
  // Interleaved (teacher, student) with zeros where the item lacks either: sums skip it.
  const pairs = new Float64Array(2 * n);
  let items = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(teacher[i]) || Number.isNaN(student[i])) continue;
    pairs[2 * i] = teacher[i];
    pairs[2 * i + 1] = student[i];
    items++;
  }
  if (items < 2) return { ok: false, reason: `too few items timed for both: ${items} (need at least 2)` };
  const sums = new Float64Array(2);
  const ci = bootstrapCI({
    unitCount: n,
    ...(args.resamples ? { resamples: args.resamples } : { samples: 1000, seed: 20240418 }),
    statistic: (indices) => {
      sumRows(indices, pairs, 2, sums);
      return sums[1] > 0 ? sums[0] / sums[1] : NaN;
    },
  });
  return ci.ok ? { ...ci, items } : ci;
}

/** Shared item draws for every student's speed-up interval (B = 1,000, fixed seed). */
export function latencyResamples(table: ReturnType<typeof itemLatencyTable>): SharedResamples | undefined {
  return table.items ? drawResamples({ unitCount: table.items, samples: 1000, seed: 20240418 }) : undefined;
}
