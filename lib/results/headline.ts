/**
 * The one-line summary of a distillation: "the student is N times smaller and M times faster
 * than the teacher, at X% of its quality". Every number comes from measured data, with its CI
 * where it has one; a number that cannot be measured is replaced by the reason.
 */
import type { BootstrapInterval, StudyStatistics } from "@/lib/stats";
import type { SystemEfficiency } from "./efficiency";
import type { Maybe } from "./schemas";

export interface Headline {
  studentSystemId: string;
  studentName: string;
  teacherName: string;
  smaller: Maybe<{ ratio: number; teacherParameters: number; studentParameters: number }>;
  faster: Maybe<BootstrapInterval & { items: number }>;
  quality: { criterion: string; label: string; result: Maybe<BootstrapInterval> };
  sentence: string;
}

/** The criterion the headline's quality figure uses: meaning preservation when the study rates it. */
export function headlineCriterion(
  criteria: readonly { key: string; label: string }[],
): { key: string; label: string } | null {
  return criteria.find((c) => c.key === "meaning") ?? criteria[0] ?? null;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const times = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(1));
const ciTimes = (f: BootstrapInterval) => `95% CI ${times(f.lower)}–${times(f.upper)}×`;

export function buildHeadline(args: {
  student: SystemEfficiency;
  teacher: SystemEfficiency;
  faster: Maybe<BootstrapInterval & { items: number }>;
  criterion: { key: string; label: string } | null;
  statistics: StudyStatistics;
}): Headline {
  const { student, teacher } = args;
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
  if (!args.criterion) quality = { ok: false, reason: "the study has no rating criteria" };
  else {
    const cmp = args.statistics.comparisons.find(
      (c) => c.studentSystemId === student.systemId && c.criterion === args.criterion!.key,
    );
    quality = !cmp
      ? { ok: false, reason: "no ratings of this student" }
      : !cmp.result.ok
        ? cmp.result
        : cmp.result.relativeScore;
  }

  const parts = [
    smaller.ok
      ? `${times(smaller.ratio)} times smaller (parameters)`
      : `of unknown relative size (${lowerFirst(smaller.reason)})`,
    args.faster.ok
      ? `${times(args.faster.estimate)} times faster per paraphrase (${ciTimes(args.faster)})`
      : `of unknown relative speed (${lowerFirst(args.faster.reason)})`,
  ];
  const q = quality.ok
    ? `at ${quality.estimate.toFixed(1)}% (95% CI ${quality.lower.toFixed(1)}–${quality.upper.toFixed(1)}%) of its ${args.criterion!.label.toLowerCase()} score`
    : `with its relative quality unknown (${lowerFirst(quality.reason)})`;
  return {
    studentSystemId: student.systemId,
    studentName: student.name,
    teacherName: teacher.name,
    smaller,
    faster: args.faster,
    quality: { criterion: args.criterion?.key ?? "", label: args.criterion?.label ?? "", result: quality },
    sentence: `${student.name} is ${parts.join(" and ")} than ${teacher.name}, ${q}.`,
  };
}
