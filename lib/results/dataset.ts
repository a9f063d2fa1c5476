/**
 * Which ratings a study's figures and exports use. Real and simulated ratings are never mixed:
 * simulated ones stand in only while the study has no real rating, and everything made from
 * them says SIMULATED.
 */
export function usesSimulatedRatings(counts: { real: number; simulated: number }): boolean {
  return counts.real === 0 && counts.simulated > 0;
}

/** A download's file name: the study's name as a slug, what it holds, and -SIMULATED when it is. */
export function exportFilename(args: {
  studyName: string;
  contents: "ratings" | "results";
  isSimulated: boolean;
  extension: string;
}): string {
  const slug =
    args.studyName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 60) || "study";
  return `${slug}-${args.contents}${args.isSimulated ? "-SIMULATED" : ""}.${args.extension}`;
}
