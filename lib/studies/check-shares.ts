import { ValidationError } from "@/lib/errors";

/**
 * Gold and attention checks together may be at most half of a study's pairs: past that, too few
 * ratings compare the systems. createStudy checks the input; updateStudySettings checks the input
 * merged with the stored values.
 */
export function assertCheckShares(shares: { goldShare: number; attentionShare: number }): void {
  if (shares.goldShare + shares.attentionShare > 0.5)
    throw new ValidationError("Gold and attention checks together can be at most half of the pairs", {
      goldShare: "Too high with the attention share",
    });
}
