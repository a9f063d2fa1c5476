/**
 * Whether a study's design can be completed under the claim's blindness rule: one annotator
 * rates at most one pair of an item (lib/annotation/claim-sql.ts), so an item with n pairs
 * (one per student, plus the gold and attention checks placed on it) needs n x k different
 * annotators, and all pairs together need k ratings each within the annotators' caps.
 *
 * The two conditions are also enough: annotators (each at most one pair per item, at most
 * min(cap, items) pairs) against items (each needing n x k) is a 0/1 matrix with given row sums
 * and bounded column sums, which Gale-Ryser says exists exactly when the busiest item's demand
 * is at most the annotators and the total demand at most their capacity.
 */

export interface DesignCounts {
  /** Annotators taking part now (invited participants). */
  annotators: number;
  /** External participants arrive through the public link after launch. */
  takesCrowd: boolean;
  /** Pairs per annotator (maxPairsPerAnnotator; null = no cap). */
  cap: number | null;
  /** Annotators per pair. */
  k: number;
  /** Students compared. */
  students: number;
  /** Per item that has pairs: its student pairs and its gold/attention checks. */
  items: { regular: number; checks: number }[];
}

export interface Feasibility {
  isFeasible: boolean;
  /** Fewest annotators that can complete the design. */
  minimumAnnotators: number;
  /** Why it is infeasible and what to change (refusals), or how many crowd participants are needed. */
  message: string | null;
}

const n = (x: number) => x.toLocaleString("en-US");
const plural = (x: number, one: string, many = `${one}s`) => `${n(x)} ${x === 1 ? one : many}`;

/** The numbers behind a launch: refuse with what to change, or say how many must arrive. */
export function checkFeasibility(d: DesignCounts): Feasibility {
  const itemCount = d.items.length;
  if (!itemCount) return { isFeasible: true, minimumAnnotators: 0, message: null };
  const busiest = d.items.reduce((a, b) => (b.regular + b.checks > a.regular + a.checks ? b : a));
  const busiestPairs = busiest.regular + busiest.checks;
  const pairs = d.items.reduce((s, i) => s + i.regular + i.checks, 0);
  const perItem = busiestPairs * d.k;
  const ratings = pairs * d.k;
  const perAnnotator = Math.min(d.cap ?? itemCount, itemCount);
  const byCapacity = Math.ceil(ratings / perAnnotator);
  const minimumAnnotators = Math.max(perItem, byCapacity);

  const itemWhy = busiest.checks
    ? `the busiest item has ${busiestPairs} pairs (${plural(busiest.regular, "student")} + ${plural(busiest.checks, "gold/attention check")}) x k=${d.k} = ${n(perItem)} different annotators`
    : `each item needs ${plural(busiest.regular, "student")} x k=${d.k} = ${n(perItem)} different annotators`;
  const capWhy =
    d.cap !== null && d.cap < itemCount
      ? `a cap of ${n(d.cap)} pairs per annotator`
      : `one pair per item for each annotator (${plural(itemCount, "item")})`;

  if (d.takesCrowd) {
    if (d.annotators >= minimumAnnotators) return { isFeasible: true, minimumAnnotators, message: null };
    const reason =
      perItem >= byCapacity
        ? `${itemWhy}, since one annotator rates at most one pair of an item`
        : `${n(pairs)} pairs x k=${d.k} = ${n(ratings)} ratings at ${capWhy}`;
    return {
      isFeasible: true,
      minimumAnnotators,
      message: `Completing the design needs at least ${plural(minimumAnnotators, "participant")} in all (${reason}); ${n(d.annotators)} take part now, so at least ${n(minimumAnnotators - d.annotators)} more must arrive through the public link.`,
    };
  }

  const problems: string[] = [];
  if (d.annotators < perItem) {
    const fixes = [`add ${plural(perItem - d.annotators, "annotator")}`];
    const k = Math.floor(d.annotators / busiestPairs);
    if (k >= 1 && k < d.k) fixes.push(`lower k to ${k}`);
    const students = Math.floor(d.annotators / d.k) - busiest.checks;
    if (students >= 1 && students < d.students) fixes.push(`rate at most ${plural(students, "student")}`);
    if (busiest.checks && busiest.regular * d.k <= d.annotators) fixes.push("lower the gold and attention shares");
    problems.push(
      `${cap(itemWhy)}, since one annotator rates at most one pair of an item; the study has ${plural(d.annotators, "annotator")}: ${orList(fixes)}.`,
    );
  }
  const capacity = d.annotators * perAnnotator;
  // Without a binding cap, enough annotators for the busiest item are enough for all ratings.
  if (capacity < ratings && ((d.cap !== null && d.cap < itemCount) || !problems.length)) {
    const raiseTo = Math.ceil(ratings / Math.max(1, d.annotators));
    const fixes: string[] = [];
    if (d.cap !== null && d.cap < itemCount && raiseTo <= itemCount) fixes.push(`raise the cap to ${n(raiseTo)}`);
    if (byCapacity > d.annotators) fixes.push(`add ${plural(byCapacity - d.annotators, "annotator")}`);
    problems.push(
      `${cap(capWhy)} allows ${plural(d.annotators, "annotator")} x ${n(perAnnotator)} = ${n(capacity)} ratings; the design needs ${n(pairs)} pairs x k=${d.k} = ${n(ratings)}: ${orList(fixes)}.`,
    );
  }
  return {
    isFeasible: problems.length === 0,
    minimumAnnotators,
    message: problems.length ? `This design cannot be completed. ${problems.join(" ")}` : null,
  };
}

function cap(s: string) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function orList(xs: string[]) {
  return xs.length <= 1 ? xs.join("") : `${xs.slice(0, -1).join(", ")} or ${xs[xs.length - 1]}`;
}
