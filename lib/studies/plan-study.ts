/**
 * The sample-size plan before launch: how many items and annotators settle non-inferiority at
 * the study's margin with 80% power, from an assumed spread (a pilot's ratings replace it on the
 * results page, which plans from the ratings so far). The assumptions are stated with the plan.
 */
import { planNonInferiority } from "@/lib/stats";

/**
 * Assumed spread of y = student - (1 - margin) * teacher on a 1-5 scale: rating noise of about
 * one point between annotators, items differing by about half that, annotators' leaning small.
 */
export const ASSUMED_SPREAD = { teacherMean: 4, itemSd: 0.6, residualSd: 0.9, annotatorSd: 0.2 } as const;

export interface StudyPlan {
  assumptions: typeof ASSUMED_SPREAD & { expectedRelative: number; power: number; comparisons: number };
  /** Items and annotators needed, or why no design reaches the power. */
  needed: { ok: true; items: number; annotators: number; ratings: number } | { ok: false; reason: string };
  available: { items: number; annotators: number };
  /** Plain sentences: what the design lacks, in numbers, or that it suffices. */
  verdict: string;
}

/** The plan for a study design, compared with the items and annotators it has. */
export function planStudy(args: {
  margin: number;
  annotatorsPerPair: number;
  maxPairsPerAnnotator: number | null;
  students: number;
  criteria: number;
  items: number;
  annotators: number;
}): StudyPlan {
  const comparisons = Math.max(1, args.students * args.criteria);
  const assumptions = { ...ASSUMED_SPREAD, expectedRelative: 1, power: 0.8, comparisons };
  // Without a cap the work spreads over the participants: each rates about items * k / participants.
  const itemsPerAnnotator =
    args.maxPairsPerAnnotator ??
    Math.max(1, Math.ceil((args.items * args.annotatorsPerPair) / Math.max(1, args.annotators)));
  const plan = planNonInferiority({
    ...ASSUMED_SPREAD,
    expectedRelative: 1,
    margin: args.margin,
    annotatorsPerItem: args.annotatorsPerPair,
    itemsPerAnnotator,
    comparisons,
  });
  const available = { items: args.items, annotators: args.annotators };
  if (!plan.ok)
    return { assumptions, needed: plan, available, verdict: `No design reaches 80% power: ${plan.reason}.` };
  const needed = { ok: true as const, items: plan.items, annotators: plan.annotators, ratings: plan.ratings };
  const short: string[] = [];
  if (args.items < plan.items)
    short.push(`${plan.items - args.items} more items (${plan.items} needed, ${args.items} in the eval set)`);
  if (args.annotators < plan.annotators) {
    short.push(
      `${plan.annotators - args.annotators} more annotators (${plan.annotators} needed, ${args.annotators} taking part)`,
    );
  }
  const verdict = short.length
    ? `To settle non-inferiority at the ${+(100 * args.margin).toFixed(2)}% margin with 80% power the study needs ${short.join(" and ")}; a wider margin or more annotators per item also help.`
    : `The design has enough items and annotators for 80% power at the ${+(100 * args.margin).toFixed(2)}% margin (${plan.items} items and ${plan.annotators} annotators needed).`;
  return { assumptions, needed, available, verdict };
}
