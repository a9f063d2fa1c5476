import { z } from "zod";

/** Which scale the tests and win/tie/loss use: per-annotator z-scores or raw ratings. */
export const ScaleSchema = z.enum(["z", "raw"]);
export type Scale = z.infer<typeof ScaleSchema>;

export const StudyResultsInput = z.object({
  studyId: z.uuid("Not a study id"),
  scale: ScaleSchema.default("z"),
});

export const StudyIdInput = z.object({ studyId: z.uuid("Not a study id") });

export const ExportFormatSchema = z.enum(["csv", "jsonl"]);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

export const ExportRatingsInput = z.object({
  studyId: z.uuid("Not a study id"),
  format: ExportFormatSchema.default("csv"),
  /** Ratings per database round trip while streaming; tests make it small to cross page boundaries. */
  pageSize: z.number().int().min(1).max(10_000).default(2000),
});

/** A figure or the reason it is missing; the same shape the statistics library uses. */
export type Missing = { ok: false; reason: string };
export type Maybe<T extends object> = ({ ok: true } & T) | Missing;
