/**
 * "How many more ratings would settle it", in one wording for the headline, the results page and
 * the monitor. The estimate of more ratings assumes they come on new items (the interval narrows
 * as 1 / sqrt(items)), so when it exceeds what the study can still collect for that student (its
 * pairs x k, less the ratings done) the text says so: more ratings of these items cannot settle it.
 */
const n = (x: number) => x.toLocaleString("en-US");

/** "more than the M this study can still collect" when more ratings are needed than the pairs can take; null otherwise. */
export function beyondStudy(more: number, remaining: number | null): string | null {
  return remaining !== null && more > remaining ? `more than the ${n(remaining)} this study can still collect` : null;
}

export function moreRatingsText(more: number | null, remaining: number | null): string {
  if (more === null) return "none would: the estimate sits on the threshold";
  if (more === 0) return "settled";
  const beyond = beyondStudy(more, remaining);
  return beyond ? `about ${n(more)}, ${beyond}: it needs more items or a wider margin` : `about ${n(more)}`;
}

/** Ratings a student's pairs can still take: pairs x k less those done (never below 0). */
export function remainingRatings(
  progress: { perSystem: readonly { systemId: string; done: number; needed: number }[] },
  studentSystemId: string,
): number | null {
  const s = progress.perSystem.find((x) => x.systemId === studentSystemId);
  return s ? Math.max(0, s.needed - s.done) : null;
}
