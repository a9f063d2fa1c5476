/**
 * Size and speed of each system from what was measured: parameter counts and sizes on disk as
 * recorded on the system, latency per paraphrase from Output.latencyMs (wall time of the call
 * divided by the paraphrases it returned). Nothing is estimated: a system without a recorded
 * figure gets the reason instead.
 */
import { bootstrapCI, mean, quantile, type BootstrapInterval } from "@/lib/results/stats";
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
}

const notRecorded = (what: string, s: StudySystemRow) =>
  ({ ok: false as const, reason: `${what} of ${s.name} is not recorded${s.kind === "EXTERNAL" ? " (outputs imported from elsewhere)" : s.kind === "LLM_API" ? " (a hosted LLM does not publish it)" : ""}` });

export function systemEfficiency(systems: readonly StudySystemRow[], timings: readonly LatencyRow[]): SystemEfficiency[] {
  return systems.map((s) => {
    const own = timings.filter((t) => t.systemId === s.id);
    const timed = own.filter((t) => t.latencyMs !== null && Number.isFinite(t.latencyMs));
    let latency: Maybe<LatencySummary>;
    if (!timed.length) {
      latency = own.length ? notRecorded("The latency", s) : { ok: false, reason: `no outputs of ${s.name} for this study's settings` };
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
        tokensPerSecond: tokens.length && tokenMs > 0 ? tokens.reduce((acc, t) => acc + t.completionTokens!, 0) / (tokenMs / 1000) : null,
      };
    }
    return {
      systemId: s.id,
      name: s.name,
      role: s.role,
      kind: s.kind,
      parameterCount: s.parameterCount !== null ? { ok: true, value: s.parameterCount } : notRecorded("The parameter count", s),
      sizeOnDiskBytes: s.sizeOnDiskBytes !== null ? { ok: true, value: s.sizeOnDiskBytes } : notRecorded("The size on disk", s),
      latency,
    };
  });
}

/** Per-item mean latency of one system, keyed by item. */
function itemLatencies(timings: readonly LatencyRow[], systemId: string): Map<string, number> {
  const acc = new Map<string, { sum: number; n: number }>();
  for (const t of timings) {
    if (t.systemId !== systemId || t.latencyMs === null) continue;
    const a = acc.get(t.itemId) ?? { sum: 0, n: 0 };
    a.sum += t.latencyMs;
    a.n++;
    acc.set(t.itemId, a);
  }
  return new Map([...acc].map(([k, v]) => [k, v.sum / v.n]));
}

/**
 * How many times faster the student is: teacher mean latency / student mean latency per
 * paraphrase over the items both were timed on, with a bootstrap CI over those items (paired:
 * an item's two latencies move together, since long sources are slow for both).
 */
export function speedup(args: { timings: readonly LatencyRow[]; teacherId: string; studentId: string; seed?: number; samples?: number }): Maybe<BootstrapInterval & { items: number }> {
  const teacher = itemLatencies(args.timings, args.teacherId);
  const student = itemLatencies(args.timings, args.studentId);
  const x: number[] = [];
  const y: number[] = [];
  for (const [item, t] of teacher) {
    const s = student.get(item);
    if (s !== undefined) {
      x.push(t);
      y.push(s);
    }
  }
  if (!teacher.size) return { ok: false, reason: "the teacher's latency is not recorded" };
  if (!student.size) return { ok: false, reason: "the student's latency is not recorded" };
  if (x.length < 2) return { ok: false, reason: `too few items timed for both: ${x.length} (need at least 2)` };
  const X = Float64Array.from(x);
  const Y = Float64Array.from(y);
  const ci = bootstrapCI({
    unitCount: X.length,
    samples: args.samples ?? 1000,
    seed: args.seed ?? 20240418,
    statistic: (idx) => {
      let sx = 0;
      let sy = 0;
      for (let i = 0; i < idx.length; i++) {
        sx += X[idx[i]];
        sy += Y[idx[i]];
      }
      return sy > 0 ? sx / sy : NaN;
    },
  });
  return ci.ok ? { ...ci, items: X.length } : ci;
}
