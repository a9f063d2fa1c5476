import { ValidationError } from "@/lib/errors";

/**
 * Gold and attention checks together may be at most half of a study's pairs: past that, too few
 * ratings compare the systems. createStudy checks the input; updateStudySettings checks the input
 * merged with the stored values.
 */
export function assertCheckShares(shares: { goldShare: number; attentionShare: number; design?: string }): void {
  // A check pair is a two-text screen with a planted text: it has no place among a ranking
  // screen's texts, and a lone pair in a ranking study would tell the annotator it is a check.
  if (shares.design === "RANKING" && (shares.goldShare > 0 || shares.attentionShare > 0))
    throw new ValidationError(
      "A ranking study has no gold or attention checks (each screen shows every text of one source): set both shares to 0",
      { goldShare: "0 in a ranking study", attentionShare: "0 in a ranking study" },
    );
  if (shares.goldShare + shares.attentionShare > 0.5)
    throw new ValidationError("Gold and attention checks together can be at most half of the pairs", {
      goldShare: "Too high with the attention share",
    });
}
