/**
 * Input of computeStudyStatistics: plain rows as they come out of Postgres, one per rated
 * value, so the statistics never need to know the database layout.
 *
 * How the study's tables map onto these rows (lib/results/build-statistics-input.ts does this):
 * - Each Rating gives, per criterion key in `scores`, two RatingRows: the left value for the
 *   system shown on the left and the right value for the other (teacherOnLeft says which), with
 *   pairId = Rating.pairId, itemId = Pair.itemId, side = "left" / "right".
 * - Each Rating gives one PreferenceRow with leftSystemId/rightSystemId resolved the same way
 *   and choice LEFT/TIE/RIGHT lower-cased; criterion "overall".
 * - Leave out GOLD and ATTENTION pairs, simulated ratings in real studies, and ratings of
 *   paused or excluded annotators: the statistics treat every row as a genuine judgment.
 * Later revisions of a rating should replace the earlier ones before they get here.
 *
 * Parse at the edge with StudyStatisticsInputSchema; computeStudyStatistics trusts its input.
 */
import { z } from "zod";

const Id = z.string().min(1);

export const MeasurementLevelSchema = z.enum(["nominal", "ordinal", "interval", "ratio"]);

export const RatingRowSchema = z.object({
  /** The source item (EvalItem.id): the unit that bootstraps resample and pairs are matched on. */
  itemId: Id,
  /**
   * The blind pair the rating was made in (Pair.id). Optional, but give it: with it a student
   * is compared with the teacher ratings made side by side with it, and Krippendorff's alpha
   * treats one output in one pair as the unit. Without it all teacher ratings of the item are
   * pooled.
   */
  pairId: Id.optional(),
  annotatorId: Id,
  systemId: Id,
  /** Criterion key from the instructions (e.g. "semantic_similarity"). */
  criterion: Id,
  /** The rating on the criterion's scale; higher is better. */
  value: z.number(),
  /** Where the output was shown; informational (position bias is measured on preferences). */
  side: z.enum(["left", "right"]).optional(),
});

export const PreferenceRowSchema = z.object({
  itemId: Id,
  pairId: Id.optional(),
  annotatorId: Id,
  leftSystemId: Id,
  rightSystemId: Id,
  choice: z.enum(["left", "right", "tie"]),
  /** Which question the preference answers; one preference per rating is "overall". */
  criterion: Id.default("overall"),
});

export const CriterionSchema = z.object({
  id: Id,
  label: z.string().optional(),
  /** Level used for Krippendorff's alpha; Likert ratings are ordinal. */
  level: MeasurementLevelSchema.default("ordinal"),
});

export const StudyStatisticsOptionsSchema = z.object({
  /**
   * Bootstrap replicates per interval (B). 1,000 here (the building blocks default to 2,000):
   * the page recomputes every figure at once, and for 95% percentile intervals B = 1,000 keeps
   * the Monte Carlo error of each bound small next to the sampling error it describes.
   */
  bootstrapSamples: z.number().int().min(100).max(100_000).default(1000),
  /** Confidence level of every interval. */
  level: z.number().gt(0.5).lt(1).default(0.95),
  /** Seed of the whole bundle: every figure resamples items from one stream derived from it. */
  seed: z.number().int().default(20240418),
  /**
   * Scale for the tests (Wilcoxon, win/tie/loss, sign test) and the test-scale difference:
   * "z" standardises each annotator per criterion before averaging per item; "raw" does not.
   * Means and the relative score always use raw ratings.
   */
  testScale: z.enum(["z", "raw"]).default("z"),
  /**
   * Non-inferiority margin, relative: 0.05 asks whether the student scores at least 95% of the
   * teacher. The verdicts and the plans use it.
   */
  margin: z.number().gt(0).lt(1).default(0.05),
  /** Annotators per item the sample-size plan assumes (default: as many as rated so far). */
  plannedAnnotatorsPerItem: z.number().int().min(1).optional(),
  /** Most items one annotator rates, for the plan's annotator count (the study's cap). */
  itemsPerAnnotator: z.number().int().min(1).nullable().optional(),
});

export const StudyStatisticsInputSchema = z
  .object({
    teacherSystemId: Id,
    /** Systems in display order; defaults to the teacher followed by the others as they appear. */
    systemIds: z.array(Id).optional(),
    /** Rating criteria in display order; defaults to those in the rows, ordinal. */
    criteria: z.array(CriterionSchema).optional(),
    ratings: z.array(RatingRowSchema),
    preferences: z.array(PreferenceRowSchema).default([]),
    options: StudyStatisticsOptionsSchema.prefault({}),
  })
  .superRefine((input, ctx) => {
    const criteria = input.criteria?.map((c) => c.id);
    if (criteria && new Set(criteria).size !== criteria.length) {
      ctx.addIssue({ code: "custom", path: ["criteria"], message: "criterion ids must be unique" });
    }
    if (input.systemIds && !input.systemIds.includes(input.teacherSystemId)) {
      ctx.addIssue({ code: "custom", path: ["systemIds"], message: "systemIds must include the teacher" });
    }
  });

export type RatingRow = z.infer<typeof RatingRowSchema>;
export type PreferenceRow = z.infer<typeof PreferenceRowSchema>;
/** A preference row before parsing: criterion may be left out ("overall"). */
export type PreferenceRowInput = z.input<typeof PreferenceRowSchema>;
export type Criterion = z.infer<typeof CriterionSchema>;
export type StudyStatisticsOptions = z.infer<typeof StudyStatisticsOptionsSchema>;
/** Parsed input (defaults filled in). */
export type StudyStatisticsInput = z.infer<typeof StudyStatisticsInputSchema>;
/** What a caller may pass before parsing (defaults optional). */
export type StudyStatisticsInputRaw = z.input<typeof StudyStatisticsInputSchema>;

// ─── Output ──────────────────────────────────────────────────────────────────────────────
// The contract of computeStudyStatistics's result, for route handlers and the page. The
// TypeScript types in result-types.ts are checked against it (compute-study-statistics.test.ts
// asserts both directions of assignability and parses real output). z.number() refuses NaN
// and Infinity, so parsing also proves the JSON carries no undefined figure.

const InsufficientSchema = z.object({ ok: z.literal(false), reason: z.string() });

function figure<T extends z.ZodRawShape>(shape: T) {
  return z.discriminatedUnion("ok", [z.object({ ok: z.literal(true), ...shape }), InsufficientSchema]);
}

const count = z.number().int().nonnegative();
const nullableNumber = z.number().nullable();

const BootstrapIntervalFigureSchema = figure({
  estimate: z.number(),
  lower: z.number(),
  upper: z.number(),
  level: z.number(),
  samples: count,
  failures: count,
  method: z.literal("two-way-cluster").optional(),
  standardError: z.number().optional(),
  df: z.number().optional(),
  annotators: count.optional(),
});
const ShareSchema = z.object({ count, share: z.number(), lower: nullableNumber, upper: nullableNumber });
const signTestShape = { wins: count, losses: count, ties: count, n: count, p: z.number() };

const SummaryFigureSchema = figure({
  items: count,
  ratings: count,
  mean: z.number(),
  median: z.number(),
  q1: z.number(),
  q3: z.number(),
  sd: nullableNumber,
  meanCI: BootstrapIntervalFigureSchema,
});

const PairedComparisonFigureSchema = figure({
  n: count,
  studentMean: z.number(),
  teacherMean: z.number(),
  meanDifference: BootstrapIntervalFigureSchema,
  meanDifferenceTestScale: BootstrapIntervalFigureSchema,
  relativeScore: BootstrapIntervalFigureSchema,
  wilcoxon: figure({
    statistic: z.number(),
    p: z.number(),
    method: z.enum(["exact", "approx"]),
    n: count,
    zeros: count,
    z: nullableNumber,
    pHolm: nullableNumber,
  }),
  winTieLoss: z.object({
    wins: ShareSchema,
    ties: ShareSchema,
    losses: ShareSchema,
    signTest: figure({ ...signTestShape, pHolm: nullableNumber }),
  }),
});

const PreferenceComparisonFigureSchema = figure({
  items: count,
  judgments: count,
  wins: ShareSchema,
  ties: ShareSchema,
  losses: ShareSchema,
  itemMajority: z.object({ wins: count, ties: count, losses: count }),
  signTest: figure({ ...signTestShape, pHolm: nullableNumber }),
});

const BradleyTerryFigureSchema = figure({
  systems: z.array(
    z.object({ systemId: z.string(), logStrength: z.number(), lower: nullableNumber, upper: nullableNumber }),
  ),
  versusReference: z
    .array(z.object({ systemId: z.string(), probability: z.number(), lower: nullableNumber, upper: nullableNumber }))
    .nullable(),
  comparisons: count,
  units: count,
  bootstrapFailures: count,
});

const PositionBiasFigureSchema = figure({
  left: count,
  right: count,
  ties: count,
  leftShare: z.number(),
  signTest: figure(signTestShape),
});

const NonInferiorityFigureSchema = figure({
  margin: z.number(),
  threshold: z.number(),
  estimate: z.number(),
  lowerBound: z.number(),
  upperBound: z.number(),
  level: z.number(),
  comparisons: count,
  verdict: z.enum(["non-inferior", "inferior", "inconclusive"]),
  width: z.number(),
  items: count,
  ratings: count,
  moreRatings: count.nullable(),
});

const PlanFigureSchema = figure({
  items: count,
  annotators: count,
  ratings: count,
  power: z.number(),
  delta: z.number(),
  spread: z.object({
    teacherMean: z.number(),
    itemSd: z.number(),
    residualSd: z.number(),
    annotatorSd: z.number(),
    annotatorsPerItem: z.number(),
    items: count,
  }),
});

const AlphaFigureSchema = figure({
  alpha: z.number(),
  level: MeasurementLevelSchema,
  pairableUnits: count,
  pairableValues: count,
  ci: z.object({ lower: z.number(), upper: z.number(), level: z.number(), samples: count }).nullable(),
});

export const StudyStatisticsSchema = z.object({
  meta: z.object({
    teacherSystemId: z.string(),
    systemIds: z.array(z.string()),
    studentSystemIds: z.array(z.string()),
    criteria: z.array(z.object({ id: z.string(), label: z.string(), level: MeasurementLevelSchema })),
    preferenceCriteria: z.array(z.string()),
    counts: z.object({ ratings: count, preferences: count, items: count, annotators: count }),
    options: z.object({
      bootstrapSamples: count,
      level: z.number(),
      seed: z.number().int(),
      testScale: z.enum(["z", "raw"]),
      margin: z.number(),
      plannedAnnotatorsPerItem: count.optional(),
      itemsPerAnnotator: count.nullable().optional(),
    }),
    intervalMethod: z.string(),
    readiness: z.object({
      isPreliminary: z.boolean(),
      minimums: z.object({ items: count, annotatorsPerItem: z.number(), annotators: count }),
      observed: z.object({ items: count, annotatorsPerItem: z.number(), annotators: count }),
      missing: z.array(z.string()),
    }),
    holmFamilies: z.array(z.string()),
    warnings: z.array(z.string()),
  }),
  descriptives: z.array(z.object({ systemId: z.string(), criterion: z.string(), result: SummaryFigureSchema })),
  comparisons: z.array(
    z.object({ studentSystemId: z.string(), criterion: z.string(), result: PairedComparisonFigureSchema }),
  ),
  preferences: z.array(
    z.object({ studentSystemId: z.string(), criterion: z.string(), result: PreferenceComparisonFigureSchema }),
  ),
  nonInferiority: z.array(
    z.object({ studentSystemId: z.string(), criterion: z.string(), result: NonInferiorityFigureSchema }),
  ),
  plans: z.array(z.object({ studentSystemId: z.string(), criterion: z.string(), result: PlanFigureSchema })),
  bradleyTerry: z.array(z.object({ criterion: z.string(), result: BradleyTerryFigureSchema })),
  positionBias: z.array(z.object({ criterion: z.string(), result: PositionBiasFigureSchema })),
  agreement: z.object({
    ratings: z.array(z.object({ criterion: z.string(), level: MeasurementLevelSchema, result: AlphaFigureSchema })),
    preferences: z.array(z.object({ criterion: z.string(), level: z.literal("nominal"), result: AlphaFigureSchema })),
  }),
});
export type StudyStatisticsOutput = z.infer<typeof StudyStatisticsSchema>;
