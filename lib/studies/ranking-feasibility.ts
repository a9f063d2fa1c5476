import type { DesignCounts, Feasibility } from "./feasibility";

/**
 * The launch check of a RANKING study. One screen holds every regular pair of a source and goes
 * to one annotator, who never sees that source again (lib/annotation/claim-item-group.ts): so a
 * source needs k different annotators (not n x k as in a pairwise study), and the cap, which
 * counts pairs, lets one annotator rate floor(cap / n) screens of the busiest source's n pairs.
 * Using the busiest source's n makes the check cautious when sources have different numbers of
 * students (a source missing a student's output). Ranking studies have no check pairs.
 */
export function checkRankingFeasibility(d: DesignCounts): Feasibility {
  const itemCount = d.items.length;
  if (!itemCount) return { isFeasible: true, minimumAnnotators: 0, message: null };
  const perScreen = Math.max(...d.items.map((i) => i.regular));
  const screens = itemCount * d.k;
  if (d.cap !== null && d.cap < perScreen)
    return {
      isFeasible: false,
      minimumAnnotators: 0,
      message: `This design cannot be completed. A ranking screen holds all ${perScreen} pairs of a source (one per student) and the cap counts pairs, so a cap of ${n(d.cap)} fits no screen: raise the cap to at least ${perScreen}.`,
    };
  const perAnnotator = Math.min(d.cap === null ? itemCount : Math.floor(d.cap / perScreen), itemCount);
  const byCapacity = Math.ceil(screens / perAnnotator);
  const minimumAnnotators = Math.max(d.k, byCapacity);
  if (d.takesCrowd) return { isFeasible: true, minimumAnnotators, message: null };

  const problems: string[] = [];
  if (d.annotators < d.k) {
    problems.push(
      `Each source needs k=${d.k} different annotators (one ranking screen each); the study has ${plural(d.annotators, "annotator")}: add ${plural(d.k - d.annotators, "annotator")}${d.annotators >= 1 ? ` or lower k to ${d.annotators}` : ""}.`,
    );
  } else if (d.annotators * perAnnotator < screens) {
    const fixes: string[] = [];
    const raiseTo = Math.ceil(screens / d.annotators) * perScreen;
    if (d.cap !== null && Math.ceil(screens / d.annotators) <= itemCount) fixes.push(`raise the cap to ${n(raiseTo)}`);
    fixes.push(`add ${plural(byCapacity - d.annotators, "annotator")}`);
    problems.push(
      `A cap of ${n(d.cap ?? 0)} pairs allows ${n(perAnnotator)} screens of ${perScreen} texts per annotator, ${plural(d.annotators, "annotator")} x ${n(perAnnotator)} = ${n(d.annotators * perAnnotator)} screens; the design needs ${plural(itemCount, "source")} x k=${d.k} = ${n(screens)}: ${fixes.join(" or ")}.`,
    );
  }
  return {
    isFeasible: problems.length === 0,
    minimumAnnotators,
    message: problems.length ? `This design cannot be completed. ${problems.join(" ")}` : null,
  };
}

const n = (x: number) => x.toLocaleString("en-US");
const plural = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;
