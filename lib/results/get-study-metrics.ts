import { z } from "zod";
import { requirePermission, type Actor } from "@/lib/auth/permissions";
import { requireStudyAccess } from "@/lib/studies";
import { prisma, type DbOrTx } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import {
  analyzeText,
  computeOutputMetrics,
  correlate,
  selfBleuOfOutputs,
  treeDistancesFor,
  type Correlation,
  type TextAnalysis,
} from "@/lib/text-metrics";
import { bootstrapMeanCI, type BootstrapInterval } from "@/lib/stats";
import { usesSimulatedRatings } from "./dataset";
import { loadRatedOutputs } from "./metric-queries";
import * as q from "./queries";
import { StudyIdInput, type Maybe } from "./schemas";
import { semanticSimilarities } from "./semantic-similarity";

/** The automatic metrics shown, each with the axis of the paper's human criteria it measures. */
export const METRICS = [
  {
    key: "semanticSimilarity",
    axis: "semantic",
    label: "Semantic similarity to source",
    note: "cosine of sentence embeddings (1 = same meaning)",
  },
  {
    key: "wordEditDistance",
    axis: "lexical",
    label: "Word edit distance",
    note: "normalised word Levenshtein (0 = copy)",
  },
  {
    key: "lexicalDeviation",
    axis: "lexical",
    label: "Lexical deviation (LD)",
    note: "1 - shared / all lemma types (Liu & Soh 2022)",
  },
  { key: "bleuVsSource", axis: "lexical", label: "BLEU vs source", note: "sentence BLEU-4 (high = close to a copy)" },
  {
    key: "wordPositionDeviation",
    axis: "syntactic",
    label: "Word position deviation (WPD)",
    note: "mean shift of shared lemmas' relative positions (Liu & Soh 2022)",
  },
  {
    key: "treeEditDistance",
    axis: "syntactic",
    label: "Tree edit distance",
    note: "normalised TED of constituency trees, full tree (link-grammar)",
  },
  {
    key: "treeEditDistanceTop",
    axis: "syntactic",
    label: "Tree edit distance, top 3 levels",
    note: "normalised TED of the trees' first three levels",
  },
  {
    key: "syntacticDiversity",
    axis: "syntactic",
    label: "POS-sequence edit distance",
    note: "normalised edit distance of POS tag sequences",
  },
  { key: "lengthRatio", axis: "length", label: "Length ratio", note: "output words / source words" },
] as const;
export type MetricKey = (typeof METRICS)[number]["key"];
export type MetricAxis = (typeof METRICS)[number]["axis"];

/** Which outputs the metrics are computed on: those people rate (default), or every output of the study's settings. */
export const MetricsBasisSchema = z.enum(["rated", "all"]);
export type MetricsBasis = z.infer<typeof MetricsBasisSchema>;
export const StudyMetricsInput = StudyIdInput.extend({ basis: MetricsBasisSchema.default("rated") });

export interface SystemMetrics {
  systemId: string;
  name: string;
  outputs: number;
  metrics: { key: MetricKey; result: Maybe<BootstrapInterval> }[];
  /** Mean over sources with two or more outputs of this system (always over all of its outputs). */
  selfBleu: Maybe<{ mean: number; sources: number }>;
}

export interface StudyMetrics {
  dataset: "REAL" | "SIMULATED";
  basis: MetricsBasis;
  /** In words, which outputs the figures rest on. */
  basisLabel: string;
  /** The sentence encoder behind semantic similarity, when it is available. */
  embeddingModel: string | null;
  systems: SystemMetrics[];
  /** Spearman's rho of each metric with the mean human rating of each rated output, all systems pooled. */
  correlations: { metric: MetricKey; criterion: string; result: Maybe<Correlation> }[];
  criteria: { key: string; label: string }[];
}

/** Automatic metrics per system and their correlation with the human ratings. */
export async function getStudyMetrics(
  actor: Actor | null,
  input: z.input<typeof StudyMetricsInput>,
  db: DbOrTx = prisma,
): Promise<StudyMetrics> {
  requirePermission(actor, "results:read");
  const parsed = StudyMetricsInput.parse(input);
  await requireStudyAccess(actor, parsed.studyId, "read", db); // its owner, collaborators and admins only
  return computeStudyMetrics(parsed.studyId, db, { basis: parsed.basis, requestedBy: actor?.id ?? null });
}

/** Above this many texts the tree distance is not computed on a page view (use `npm run metrics`). */
const MAX_TEXTS_TO_PARSE = 5000;

export async function computeStudyMetrics(
  studyId: string,
  db: DbOrTx = prisma,
  opts: { basis?: MetricsBasis; requestedBy?: string | null } = {},
): Promise<StudyMetrics> {
  const basis = opts.basis ?? "rated";
  const study = await q.findStudyHeader(studyId, db);
  if (!study) throw new NotFoundError("No such study");
  const [systems, criteria, counts] = await Promise.all([
    q.listStudySystems(study, db),
    q.listStudyCriteria(study.id, db),
    q.countRatingsByKind(study.id, db),
  ]);
  const isSimulated = usesSimulatedRatings(counts);
  const [allOutputs, ratedOutputs, means] = await Promise.all([
    q.loadStudyOutputs({ evalSetId: study.evalSetId, systems }, db),
    loadRatedOutputs(study.id, db),
    q.loadOutputRatingMeans({ studyId: study.id, isSimulated }, db),
  ]);
  const outputs = basis === "rated" ? ratedOutputs : allOutputs;

  const sources = new Map<string, TextAnalysis>();
  const perOutput = new Map<string, Partial<Record<MetricKey, number | null>>>();
  for (const o of outputs) {
    let source = sources.get(o.itemId);
    if (!source) sources.set(o.itemId, (source = analyzeText(o.source)));
    perOutput.set(o.id, { ...computeOutputMetrics({ source, output: o.text }) });
  }
  const unavailable = new Map<MetricKey, string>();

  const semantic = await semanticSimilarities(
    { evalSetId: study.evalSetId, rows: outputs, requestedBy: opts.requestedBy },
    db,
  );
  if (semantic.ok) for (const [id, v] of semantic.values) perOutput.get(id)!.semanticSimilarity = v;
  else unavailable.set("semanticSimilarity", semantic.reason);

  const distinctTexts = new Set(outputs.flatMap((o) => [o.source, o.text])).size;
  const trees =
    distinctTexts > MAX_TEXTS_TO_PARSE
      ? {
          ok: false as const,
          reason: `not computed on the page for ${distinctTexts} texts (limit ${MAX_TEXTS_TO_PARSE}); run npm run metrics on an export`,
        }
      : await treeDistancesFor(outputs.map((o) => ({ source: o.source, output: o.text })));
  if (trees.ok)
    outputs.forEach((o, i) => {
      const m = perOutput.get(o.id)!;
      m.treeEditDistance = trees.distances[i]?.full ?? null;
      m.treeEditDistanceTop = trees.distances[i]?.top ?? null;
    });
  else for (const key of ["treeEditDistance", "treeEditDistanceTop"] as const) unavailable.set(key, trees.reason);

  const systemMetrics: SystemMetrics[] = systems.map((s, index) => {
    const own = outputs.filter((o) => o.systemId === s.id);
    const byItem = new Map<string, string[]>();
    for (const o of allOutputs.filter((x) => x.systemId === s.id))
      byItem.set(o.itemId, [...(byItem.get(o.itemId) ?? []), o.text]);
    const selfBleus = [...byItem.values()]
      .map((texts) => selfBleuOfOutputs(texts))
      .filter((x): x is number => x !== null);
    return {
      systemId: s.id,
      name: s.name,
      outputs: own.length,
      metrics: METRICS.map(({ key }) => {
        const reason = unavailable.get(key);
        if (reason) return { key, result: { ok: false as const, reason } };
        const values = own.map((o) => perOutput.get(o.id)![key]).filter((v): v is number => typeof v === "number");
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
    };
  });

  const correlations: StudyMetrics["correlations"] = [];
  for (const c of criteria) {
    const rated = means.filter((m) => m.criterion === c.key && perOutput.has(m.outputId));
    for (const { key } of METRICS) {
      const reason = unavailable.get(key);
      if (reason) {
        correlations.push({ metric: key, criterion: c.key, result: { ok: false, reason } });
        continue;
      }
      const x = rated.map((m) => perOutput.get(m.outputId)![key] ?? NaN);
      const y = rated.map((m) => m.mean);
      correlations.push({ metric: key, criterion: c.key, result: correlate({ x, y, method: "spearman" }) });
    }
  }
  return {
    dataset: isSimulated ? "SIMULATED" : "REAL",
    basis,
    basisLabel:
      basis === "rated"
        ? `the ${outputs.length} outputs people rate in this study (the outputs in its regular pairs)`
        : `all ${outputs.length} outputs of the study's systems and settings, rated or not`,
    embeddingModel: semantic.ok ? semantic.model : null,
    systems: systemMetrics,
    correlations,
    criteria,
  };
}
