/**
 * Simulated studies for the coverage checks: items crossed with annotators, with item and
 * annotator effects on the student-teacher difference, continuous ratings (so the truth is the
 * model's parameter, not blurred by rounding). Each item has one pair, rated by k annotators
 * drawn from the pool.
 */
import { createRng } from "../random";
import type { RatingRow } from "../schemas";

export function crossedStudy(args: {
  items: number;
  annotatorPool: number;
  annotatorsPerItem: number;
  teacherMean: number;
  /** The student's true mean minus the teacher's. */
  difference: number;
  itemSd: number;
  annotatorSd: number;
  /** SD of the annotators' leaning towards one system (the term item-only intervals ignore). */
  annotatorDifferenceSd: number;
  residualSd: number;
  seed: number;
}): { teacherSystemId: string; ratings: RatingRow[] } {
  const rng = createRng(args.seed);
  const leniency = Array.from({ length: args.annotatorPool }, () => args.annotatorSd * rng.nextNormal());
  const leaning = Array.from({ length: args.annotatorPool }, () => args.annotatorDifferenceSd * rng.nextNormal());
  const ratings: RatingRow[] = [];
  for (let i = 0; i < args.items; i++) {
    const itemId = `item-${i}`;
    const level = args.itemSd * rng.nextNormal();
    const itemDifference = args.itemSd * rng.nextNormal();
    const chosen = new Set<number>();
    while (chosen.size < Math.min(args.annotatorsPerItem, args.annotatorPool))
      chosen.add(rng.nextInt(args.annotatorPool));
    for (const a of chosen) {
      const base = args.teacherMean + level + leniency[a];
      const common = { itemId, pairId: itemId, annotatorId: `annotator-${a}`, criterion: "meaning" };
      ratings.push({ ...common, systemId: "teacher", value: base + args.residualSd * rng.nextNormal() });
      ratings.push({
        ...common,
        systemId: "student",
        value: base + args.difference + itemDifference + leaning[a] + args.residualSd * rng.nextNormal(),
      });
    }
  }
  return { teacherSystemId: "teacher", ratings };
}
