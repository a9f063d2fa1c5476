/**
 * Input of computeStudyStatistics: plain rows as they come out of Postgres, one per rated
 * value, so the statistics never need to know the database layout.
 *
 * How the study's tables map onto these rows (lib/results/queries.ts will do this):
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
  /** Seed of the whole bundle; each figure derives its own stream from it and its label. */
  seed: z.number().int().default(20240418),
  /**
   * Scale for the tests (Wilcoxon, win/tie/loss, sign test) and the test-scale difference:
   * "z" standardises each annotator per criterion before averaging per item; "raw" does not.
   * Means and the relative score always use raw ratings.
   */
  testScale: z.enum(["z", "raw"]).default("z"),
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

export type MeasurementLevelName = z.infer<typeof MeasurementLevelSchema>;
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
