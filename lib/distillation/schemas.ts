import { z } from "zod";

/** A threshold from 0 to 1, or empty; `what` names it in the message a reader sees. */
const optionalNumber = (what: string) =>
  z.preprocess(
    (v) => (v === "" || v === null || v === undefined ? undefined : Number(v)),
    z
      .number(`${what} must be a number from 0 to 1`)
      .min(0, `${what} must be from 0 to 1`)
      .max(1, `${what} must be from 0 to 1`)
      .optional(),
  );

export const TrainingPairsInput = z.object({
  evalSetId: z.uuid(),
  systemId: z.uuid("Choose the teacher whose outputs to export"),
  settingsKey: z.string().min(1, "Choose which of the teacher's outputs (settings) to export"),
  /** Drop near-copies: pairs whose word-level edit distance to the source (0..1) is below this. */
  minWordEditDistance: optionalNumber("The minimum word edit distance").default(0.1),
  /** Drop pairs whose BLEU against the source (0..1, higher = more overlap) is above this. */
  maxBleuVsSource: optionalNumber("The BLEU ceiling"),
  /** Drop pairs below this cosine similarity to the source (stored by the embedding job). */
  minSemanticSimilarity: optionalNumber("The minimum semantic similarity"),
});
export type TrainingPairsInput = z.input<typeof TrainingPairsInput>;

export interface TrainingPairsManifest {
  format: string;
  evalSet: { id: string; name: string };
  teacher: { id: string; name: string; settingsKey: string; settings: unknown };
  filters: {
    minWordEditDistance: number;
    maxBleuVsSource: number | null;
    minSemanticSimilarity: number | null;
    semanticSimilarityModel: string | null;
  };
  counts: {
    items: number;
    itemsWithOutputs: number;
    outputs: number;
    kept: number;
    dropped: {
      nearCopies: number;
      tooSimilarBleu: number;
      lowSemanticSimilarity: number;
      duplicates: number;
      empty: number;
    };
  };
  /** Tokens the teacher spent on these outputs, as its endpoint reported them (null where not recorded). */
  tokens: { prompt: number | null; completion: number | null; outputsWithUsage: number };
  generatedAt: string;
}
