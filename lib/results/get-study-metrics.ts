import type { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { prisma, type DbOrTx } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import {
  analyzeText,
  computeOutputMetrics,
  correlate,
  selfBleuOfOutputs,
  type Correlation,
  type OutputMetrics,
  type TextAnalysis,
} from "@/lib/text-metrics";
import { bootstrapMeanCI, type BootstrapInterval } from "@/lib/stats";
import { usesSimulatedRatings } from "./dataset";
import * as q from "./queries";
import { StudyIdInput, type Maybe } from "./schemas";

/** The automatic metrics shown, each with what it measures. */
export const METRICS = [
  { key: "wordEditDistance", label: "Lexical diversity vs source", note: "normalised word edit distance (0 = copy)" },
  {
    key: "syntacticDiversity",
    label: "Syntactic diversity vs source",
    note: "normalised edit distance of POS tag sequences",
  },
  { key: "lengthRatio", label: "Length ratio", note: "output words / source words" },
  { key: "bleuVsSource", label: "BLEU vs source", note: "sentence BLEU-4 against the source (high = close to a copy)" },
] as const satisfies { key: keyof OutputMetrics; label: string; note: string }[];
export type MetricKey = (typeof METRICS)[number]["key"];

export const SEMANTIC_SIMILARITY_UNAVAILABLE = "unavailable (no sentence-embedding model in models/)";

export interface SystemMetrics {
  systemId: string;
  name: string;
  outputs: number;
  metrics: { key: MetricKey; result: Maybe<BootstrapInterval> }[];
  /** Mean over sources with two or more outputs of this system. */
  selfBleu: Maybe<{ mean: number; sources: number }>;
  semanticSimilarity: Maybe<{ mean: number }>;
}

export interface StudyMetrics {
  dataset: "REAL" | "SIMULATED";
  systems: SystemMetrics[];
  /** Spearman's rho of each metric with the mean human rating of each rated output, all systems pooled. */
  correlations: { metric: MetricKey; criterion: string; result: Maybe<Correlation> }[];
  criteria: { key: string; label: string }[];
}

/** Automatic metrics per system and their correlation with the human ratings; computed fresh on every call. */
export async function getStudyMetrics(
  actor: Actor | null,
  input: z.input<typeof StudyIdInput>,
  db: DbOrTx = prisma,
): Promise<StudyMetrics> {
  requirePermission(actor, "results:read");
  return computeStudyMetrics(StudyIdInput.parse(input).studyId, db);
}

export async function computeStudyMetrics(studyId: string, db: DbOrTx = prisma): Promise<StudyMetrics> {
  const study = await q.findStudyHeader(studyId, db);
  if (!study) throw new NotFoundError("No such study");
  const [systems, criteria, counts] = await Promise.all([
    q.listStudySystems(study, db),
    q.listStudyCriteria(study.id, db),
    q.countRatingsByKind(study.id, db),
  ]);
  const isSimulated = usesSimulatedRatings(counts);
  const [outputs, means] = await Promise.all([
    q.loadStudyOutputs({ evalSetId: study.evalSetId, systems }, db),
    q.loadOutputRatingMeans({ studyId: study.id, isSimulated }, db),
  ]);
  const sources = new Map<string, TextAnalysis>();
  const perOutput = new Map<string, OutputMetrics>();
  for (const o of outputs) {
    let source = sources.get(o.itemId);
    if (!source) sources.set(o.itemId, (source = analyzeText(o.source)));
    perOutput.set(o.id, computeOutputMetrics({ source, output: o.text }));
  }

  const systemMetrics: SystemMetrics[] = systems.map((s, index) => {
    const own = outputs.filter((o) => o.systemId === s.id);
    const byItem = new Map<string, string[]>();
    for (const o of own) byItem.set(o.itemId, [...(byItem.get(o.itemId) ?? []), o.text]);
    const selfBleus = [...byItem.values()]
      .map((texts) => selfBleuOfOutputs(texts))
      .filter((x): x is number => x !== null);
    return {
      systemId: s.id,
      name: s.name,
      outputs: own.length,
      metrics: METRICS.map(({ key }) => {
        const values = own.map((o) => perOutput.get(o.id)![key]).filter((v): v is number => v !== null);
        if (values.length < 2)
          return { key, result: { ok: false as const, reason: `too few outputs: ${values.length} (need at least 2)` } };
        return { key, result: bootstrapMeanCI(values, { samples: 1000, seed: 20240418 + index }) };
      }),
      selfBleu: selfBleus.length
        ? { ok: true, mean: selfBleus.reduce((a, b) => a + b, 0) / selfBleus.length, sources: selfBleus.length }
        : {
            ok: false,
            reason: "one output per source: self-BLEU needs at least two outputs of a system for one source",
          },
      semanticSimilarity: { ok: false, reason: SEMANTIC_SIMILARITY_UNAVAILABLE },
    };
  });

  const correlations: StudyMetrics["correlations"] = [];
  for (const c of criteria) {
    const rated = means.filter((m) => m.criterion === c.key && perOutput.has(m.outputId));
    for (const { key } of METRICS) {
      const x = rated.map((m) => perOutput.get(m.outputId)![key] ?? NaN);
      const y = rated.map((m) => m.mean);
      correlations.push({ metric: key, criterion: c.key, result: correlate({ x, y, method: "spearman" }) });
    }
  }
  return { dataset: isSimulated ? "SIMULATED" : "REAL", systems: systemMetrics, correlations, criteria };
}
