/**
 * The results page's statistics in one call: descriptives per system and criterion, paired
 * student-vs-teacher comparisons, direct preferences, Bradley-Terry strengths, position bias and
 * inter-annotator agreement, each with its CI / p / Holm-adjusted p or the reason it is missing.
 *
 * Every bootstrap uses a seed derived from options.seed and the figure's label, so a figure does
 * not change when another system or criterion is added, and the same input gives the same JSON.
 */
import { aggregateRatings, createInterner, intern } from "./aggregate-ratings";
import { bootstrapMeanCI, type BootstrapOptions } from "./bootstrap";
import { summarize } from "./descriptive";
import { holmAdjust } from "./holm";
import { krippendorffAlpha } from "./krippendorff";
import { comparePaired } from "./paired-comparison";
import { preferenceStatistics } from "./preference-statistics";
import { deriveSeed } from "./random";
import type { StudyStatistics, SystemCriterionSummary } from "./result-types";
import { type Criterion, StudyStatisticsOptionsSchema, type StudyStatisticsInputRaw } from "./schemas";
import { checkItemsForMean, type Figure, insufficient, sufficient } from "./sufficiency";

export const HOLM_FAMILIES = [
  "Wilcoxon tests: all students x rating criteria",
  "Sign tests on rating wins/losses: all students x rating criteria",
  "Sign tests on preferences: all students x preference criteria",
];

/** Computes the full statistics bundle of a study from plain rating and preference rows. */
export function computeStudyStatistics(input: StudyStatisticsInputRaw): StudyStatistics {
  const options = StudyStatisticsOptionsSchema.parse(input.options ?? {});
  const preferences = input.preferences ?? [];
  const teacherId = input.teacherSystemId;
  const systems = createInterner([teacherId, ...(input.systemIds ?? [])]);
  const items = createInterner();
  for (const row of input.ratings) intern(systems, row.systemId);
  for (const row of preferences) {
    intern(systems, row.leftSystemId);
    intern(systems, row.rightSystemId);
  }
  const criteria: Criterion[] =
    input.criteria?.map((c) => ({ id: c.id, label: c.label, level: c.level ?? "ordinal" })) ??
    [...new Set(input.ratings.map((r) => r.criterion))].map((id) => ({ id, level: "ordinal" as const }));
  const teacher = 0;
  const tables = aggregateRatings({ ratings: input.ratings, items, systems, criteria, teacher });
  const { itemCount: I, systemCount: S } = tables;
  const boot = (label: string): BootstrapOptions => ({
    samples: options.bootstrapSamples,
    level: options.level,
    seed: deriveSeed(options.seed, label),
  });

  const descriptives: StudyStatistics["descriptives"] = [];
  const comparisons: StudyStatistics["comparisons"] = [];
  criteria.forEach((criterion, c) => {
    for (let s = 0; s < S; s++) {
      const base = (c * S + s) * I;
      const means: number[] = [];
      let ratings = 0;
      for (let i = 0; i < I; i++) {
        const count = tables.count[base + i];
        if (count > 0) {
          means.push(tables.rawSum[base + i] / count);
          ratings += count;
        }
      }
      descriptives.push({
        systemId: systems.ids[s],
        criterion: criterion.id,
        result: describe(means, ratings, boot(`descriptive:${criterion.id}:${systems.ids[s]}`)),
      });
    }
    const teacherBase = (c * S + teacher) * I;
    for (let s = 0; s < S; s++) {
      if (s === teacher) continue;
      const base = (c * S + s) * I;
      const studentRaw: number[] = [];
      const teacherRaw: number[] = [];
      const studentZ: number[] = [];
      const teacherZ: number[] = [];
      for (let i = 0; i < I; i++) {
        const count = tables.count[base + i];
        if (count === 0) continue;
        // Prefer teacher ratings made beside this student; fall back to all of the item's.
        const matched = tables.matchedTeacherCount[base + i];
        const [tRaw, tZ, tCount] =
          matched > 0
            ? [tables.matchedTeacherRaw[base + i], tables.matchedTeacherZ[base + i], matched]
            : [tables.rawSum[teacherBase + i], tables.zSum[teacherBase + i], tables.count[teacherBase + i]];
        if (tCount === 0) continue;
        studentRaw.push(tables.rawSum[base + i] / count);
        studentZ.push(tables.zSum[base + i] / count);
        teacherRaw.push(tRaw / tCount);
        teacherZ.push(tZ / tCount);
      }
      const isZ = options.testScale === "z";
      comparisons.push({
        studentSystemId: systems.ids[s],
        criterion: criterion.id,
        result: comparePaired(
          { studentRaw, teacherRaw, studentTest: isZ ? studentZ : undefined, teacherTest: isZ ? teacherZ : undefined },
          boot(`comparison:${criterion.id}:${systems.ids[s]}`),
        ),
      });
    }
  });

  const preference = preferenceStatistics({
    preferences,
    systemIds: systems.ids,
    teacherSystemId: teacherId,
    options: { samples: options.bootstrapSamples, level: options.level, seed: options.seed },
  });
  const ratingAgreement = criteria.map((criterion, c) => ({
    criterion: criterion.id,
    level: criterion.level,
    result: krippendorffOrReason(tables.alphaUnits[c], criterion.level, boot(`alpha:${criterion.id}`)),
  }));

  applyHolm(comparisons.map((x) => (x.result.ok ? x.result.wilcoxon : null)));
  applyHolm(comparisons.map((x) => (x.result.ok ? x.result.winTieLoss.signTest : null)));
  applyHolm(preference.vsTeacher.map((x) => (x.result.ok ? x.result.signTest : null)));

  const warnings: string[] = [];
  if (tables.constantAnnotators.length > 0) {
    const list = tables.constantAnnotators.map((a) => `${a.annotatorId} (${a.criterion})`).join(", ");
    warnings.push(`These annotators gave one value throughout a criterion, so their z-scores are 0: ${list}`);
  }
  if (tables.ignoredRatings > 0) warnings.push(`${tables.ignoredRatings} ratings on criteria not in the criteria list were ignored`);
  if (tables.duplicateRatings > 0) {
    warnings.push(`${tables.duplicateRatings} repeated ratings of the same output by the same annotator were left out of agreement`);
  }

  return {
    meta: {
      teacherSystemId: teacherId,
      systemIds: systems.ids,
      studentSystemIds: systems.ids.filter((id) => id !== teacherId),
      criteria: criteria.map((c) => ({ id: c.id, label: c.label ?? c.id, level: c.level })),
      preferenceCriteria: preference.bradleyTerry.map((b) => b.criterion),
      counts: {
        ratings: input.ratings.length,
        preferences: preferences.length,
        items: new Set([...items.ids, ...preferences.map((p) => p.itemId)]).size,
        annotators: countDistinctAnnotators(input.ratings, preferences),
      },
      options,
      holmFamilies: HOLM_FAMILIES,
      warnings,
    },
    descriptives,
    comparisons,
    preferences: preference.vsTeacher,
    bradleyTerry: preference.bradleyTerry,
    positionBias: preference.positionBias,
    agreement: { ratings: ratingAgreement, preferences: preference.agreement },
  };
}

function countDistinctAnnotators(ratings: readonly { annotatorId: string }[], preferences: readonly { annotatorId: string }[]) {
  const ids = new Set<string>();
  for (const row of ratings) ids.add(row.annotatorId);
  for (const row of preferences) ids.add(row.annotatorId);
  return ids.size;
}

function describe(means: number[], ratings: number, bootstrap: BootstrapOptions): Figure<SystemCriterionSummary> {
  const short = checkItemsForMean(means.length);
  if (short) return short;
  const summary = summarize(means);
  return sufficient({
    items: means.length,
    ratings,
    mean: summary.mean,
    median: summary.median,
    q1: summary.q1,
    q3: summary.q3,
    sd: Number.isFinite(summary.sd) ? summary.sd : null,
    meanCI: bootstrapMeanCI(means, bootstrap),
  });
}

function krippendorffOrReason(units: number[][], level: Criterion["level"], bootstrap: BootstrapOptions) {
  if (units.length === 0) return insufficient("no ratings on this criterion yet");
  return krippendorffAlpha({ units, level, bootstrap });
}

/** Writes Holm-adjusted p-values into the tests of one family (tests that did not run are skipped). */
function applyHolm(tests: ({ ok: true; p: number; pHolm: number | null } | { ok: false } | null)[]) {
  const ps = tests.map((t) => (t && t.ok ? t.p : null));
  const adjusted = holmAdjust(ps);
  tests.forEach((t, i) => {
    if (t && t.ok) t.pHolm = adjusted[i];
  });
}
