/**
 * Synthetic studies with known ground truth, for tests and bench/results. Mirrors the real
 * design: each item is shown as one blind pair per student (teacher vs student, sides
 * randomised), each pair is rated by k different annotators on every criterion (integers on
 * 1..5) and gets one overall preference.
 *
 * Latent quality of an output = system effect + item difficulty + noise; an annotator adds
 * their own leniency, so z-scoring has something to remove.
 */
import { createRng } from "./random";
import type { PreferenceRow, RatingRow } from "./schemas";

export interface SyntheticStudyOptions {
  items: number;
  /** Effect of each student relative to the teacher (teacher = 0), in rating points. */
  studentEffects: number[];
  annotatorsPerPair: number;
  annotatorPool: number;
  criteria: string[];
  seed: number;
  /** |latent difference| below which a preference is a tie. */
  tieThreshold?: number;
  /** Added to the left output's latent score in preferences (position bias). */
  leftBias?: number;
}

export interface SyntheticStudy {
  teacherSystemId: string;
  systemIds: string[];
  ratings: RatingRow[];
  preferences: PreferenceRow[];
}

const clampRating = (x: number) => Math.min(5, Math.max(1, Math.round(x)));

export function syntheticStudy(options: SyntheticStudyOptions): SyntheticStudy {
  const rng = createRng(options.seed);
  const teacher = "teacher";
  const students = options.studentEffects.map((_, s) => `student-${s + 1}`);
  const leniency = Array.from({ length: options.annotatorPool }, () => 0.6 * rng.nextNormal());
  const ratings: RatingRow[] = [];
  const preferences: PreferenceRow[] = [];
  const tieThreshold = options.tieThreshold ?? 0.25;
  for (let item = 0; item < options.items; item++) {
    const itemId = `item-${item}`;
    const difficulty = 0.5 * rng.nextNormal();
    const teacherQuality = 3.8 + difficulty + 0.3 * rng.nextNormal();
    students.forEach((student, s) => {
      const pairId = `${itemId}:${student}`;
      const studentQuality = 3.8 + options.studentEffects[s] + difficulty + 0.3 * rng.nextNormal();
      // k different annotators per pair, drawn without replacement from the pool.
      const chosen = new Set<number>();
      while (chosen.size < Math.min(options.annotatorsPerPair, options.annotatorPool))
        chosen.add(rng.nextInt(options.annotatorPool));
      for (const annotator of chosen) {
        const annotatorId = `annotator-${annotator}`;
        const teacherOnLeft = rng.next() < 0.5;
        for (const criterion of options.criteria) {
          for (const [systemId, quality] of [
            [teacher, teacherQuality],
            [student, studentQuality],
          ] as const) {
            const isLeft = (systemId === teacher) === teacherOnLeft;
            ratings.push({
              itemId,
              pairId,
              annotatorId,
              systemId,
              criterion,
              value: clampRating(quality + leniency[annotator] + 0.7 * rng.nextNormal()),
              side: isLeft ? "left" : "right",
            });
          }
        }
        const left = teacherOnLeft ? teacherQuality : studentQuality;
        const right = teacherOnLeft ? studentQuality : teacherQuality;
        const perceived = left - right + (options.leftBias ?? 0) + 0.5 * rng.nextNormal();
        preferences.push({
          itemId,
          pairId,
          annotatorId,
          leftSystemId: teacherOnLeft ? teacher : student,
          rightSystemId: teacherOnLeft ? student : teacher,
          choice: Math.abs(perceived) < tieThreshold ? "tie" : perceived > 0 ? "left" : "right",
          criterion: "overall",
        });
      }
    });
  }
  return { teacherSystemId: teacher, systemIds: [teacher, ...students], ratings, preferences };
}
