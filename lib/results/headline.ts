/**
 * The summary of a distillation in plain sentences: whether the student holds the teacher's
 * quality at the study's margin (non-inferiority, the claim a paper makes), then how much
 * smaller and faster it is. Every number comes from measured data, with its interval where it
 * has one; a number that cannot be measured is replaced by the reason, in a sentence of its own.
 * A study below its stated minimums starts with "Preliminary" and what is missing.
 */
import type { BootstrapInterval, NonInferiority, StudyStatistics } from "@/lib/stats";
import type { SystemEfficiency } from "./efficiency";
import { beyondStudy } from "./settle-text";
import type { Maybe } from "./schemas";

export interface Headline {
  studentSystemId: string;
  studentName: string;
  teacherName: string;
  smaller: Maybe<{ ratio: number; teacherParameters: number; studentParameters: number }>;
  faster: Maybe<BootstrapInterval & { items: number }>;
  quality: { criterion: string; label: string; result: Maybe<BootstrapInterval> };
  nonInferiority: Maybe<NonInferiority>;
  isPreliminary: boolean;
  sentence: string;
}

/** The criterion the headline's quality figure uses: meaning preservation when the study rates it. */
export function headlineCriterion(
  criteria: readonly { key: string; label: string }[],
): { key: string; label: string } | null {
  return criteria.find((c) => c.key === "meaning") ?? criteria[0] ?? null;
}

const times = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(1));
const percent = (x: number) => `${x.toFixed(1)}%`;
const marginText = (m: number) => `${+(100 * m).toFixed(2)}%`;
const withoutStop = (s: string) => s.replace(/\.$/, "");
function settleClause(more: number | null, remaining: number | null): string {
  if (more === null || more === 0) return "";
  const clause = `; about ${more.toLocaleString("en-US")} more ratings would settle it if the estimate holds`;
  const beyond = beyondStudy(more, remaining);
  return beyond ? `${clause}, ${beyond}, so it needs more items or a wider margin` : clause;
}

export function buildHeadline(args: {
  student: SystemEfficiency;
  teacher: SystemEfficiency;
  faster: Maybe<BootstrapInterval & { items: number }>;
  criterion: { key: string; label: string } | null;
  statistics: StudyStatistics;
  /** Ratings the student's pairs can still take (pairs x k less those done); null when unknown. */
  remainingRatings?: number | null;
}): Headline {
  const { student, teacher, statistics } = args;
  const smaller: Headline["smaller"] = !teacher.parameterCount.ok
    ? teacher.parameterCount
    : !student.parameterCount.ok
      ? student.parameterCount
      : student.parameterCount.value <= 0
        ? { ok: false, reason: `${student.name} has a parameter count of 0` }
        : {
            ok: true,
            ratio: teacher.parameterCount.value / student.parameterCount.value,
            teacherParameters: teacher.parameterCount.value,
            studentParameters: student.parameterCount.value,
          };

  let quality: Maybe<BootstrapInterval>;
  let nonInferiority: Maybe<NonInferiority> = { ok: false, reason: "the study has no rating criteria" };
  let qualitySentence: string;
  const s = student.name;
  const t = teacher.name;
  if (!args.criterion) {
    quality = { ok: false, reason: "the study has no rating criteria" };
    qualitySentence = `The quality of ${s} is not known: the study has no rating criteria.`;
  } else {
    const key = args.criterion.key;
    const label = args.criterion.label.toLowerCase();
    const cmp = statistics.comparisons.find((c) => c.studentSystemId === student.systemId && c.criterion === key);
    nonInferiority = statistics.nonInferiority?.find(
      (c) => c.studentSystemId === student.systemId && c.criterion === key,
    )?.result ?? { ok: false, reason: "no ratings of this student" };
    quality = !cmp
      ? { ok: false, reason: "no ratings of this student" }
      : !cmp.result.ok
        ? cmp.result
        : cmp.result.relativeScore;
    const margin = marginText(statistics.meta.options.margin ?? 0.05);
    if (!cmp || !cmp.result.ok) {
      qualitySentence = `The ${label} of ${s} relative to ${t} is not known yet: ${withoutStop(quality.ok ? "no ratings" : quality.reason)}.`;
    } else if (!quality.ok) {
      // No interval (e.g. no spread): the ratio itself is still what the ratings say.
      const ratio = (100 * cmp.result.studentMean) / cmp.result.teacherMean;
      qualitySentence = `${s} scored ${percent(ratio)} of ${t}'s ${label} score, with no interval: ${withoutStop(quality.reason)}.`;
    } else if (!nonInferiority.ok) {
      qualitySentence = `${s} scored ${percent(quality.estimate)} of ${t}'s ${label} score (95% CI ${percent(quality.lower)} to ${percent(quality.upper)}); non-inferiority at the ${margin} margin is not known: ${withoutStop(nonInferiority.reason)}.`;
    } else {
      const ni = nonInferiority;
      const level = `${+(100 * ni.level).toFixed(2)}%`;
      const score = `${percent(ni.estimate)} of ${t}'s ${label} score`;
      qualitySentence =
        ni.verdict === "non-inferior"
          ? `${s} is non-inferior to ${t} at the ${margin} margin: it scored ${score}, and the one-sided ${level} lower bound, ${percent(ni.lowerBound)}, is above ${percent(ni.threshold)}.`
          : ni.verdict === "inferior"
            ? `${s} is worse than ${t} by more than the ${margin} margin: it scored ${score}, and the one-sided ${level} upper bound, ${percent(ni.upperBound)}, is below ${percent(ni.threshold)}.`
            : `Whether ${s} is within ${margin} of ${t} is not settled: it scored ${score}, with ${level} bounds from ${percent(ni.lowerBound)} to ${percent(ni.upperBound)} around the ${percent(ni.threshold)} threshold${settleClause(ni.moreRatings, args.remainingRatings ?? null)}.`;
    }
  }

  const sizeSentence = smaller.ok
    ? `It has ${times(smaller.ratio)} times fewer parameters.`
    : `Size unknown: ${withoutStop(smaller.reason.charAt(0).toLowerCase() + smaller.reason.slice(1))}.`;
  const speedSentence = !args.faster.ok
    ? `Speed unknown: ${withoutStop(args.faster.reason)}.`
    : args.faster.lower === args.faster.upper
      ? `It is ${times(args.faster.estimate)} times faster per paraphrase (every timed item gave the same ratio).`
      : `It is ${times(args.faster.estimate)} times faster per paraphrase (95% CI ${times(args.faster.lower)} to ${times(args.faster.upper)} times).`;
  const readiness = statistics.meta.readiness;
  const isPreliminary = readiness?.isPreliminary ?? false;
  const preliminary = isPreliminary ? `Preliminary (${readiness.missing.join("; ")}). ` : "";
  return {
    studentSystemId: student.systemId,
    studentName: s,
    teacherName: t,
    smaller,
    faster: args.faster,
    quality: { criterion: args.criterion?.key ?? "", label: args.criterion?.label ?? "", result: quality },
    nonInferiority,
    isPreliminary,
    sentence: `${preliminary}${qualitySentence} ${sizeSentence} ${speedSentence}`,
  };
}
