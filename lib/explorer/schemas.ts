import { z } from "zod";

export const ExplorerFilterSchema = z.enum(["all", "copies", "empty", "duplicates", "low-similarity"]);
export type ExplorerFilter = z.infer<typeof ExplorerFilterSchema>;
export const ExplorerSortSchema = z.enum(["position", "similarity"]);
export type ExplorerSort = z.infer<typeof ExplorerSortSchema>;

export const ExploreOutputsInput = z.object({
  evalSetId: z.uuid("Not an eval set id"),
  page: z.coerce.number<number>().int().min(1, "page starts at 1").default(1),
  pageSize: z.coerce.number<number>().int().min(1).max(100, "at most 100 items per page").default(20),
  filter: ExplorerFilterSchema.default("all"),
  sort: ExplorerSortSchema.default("position"),
  /** With filter "low-similarity": outputs below this cosine similarity. */
  below: z.coerce.number<number>().min(-1).max(1).default(0.5),
});
export type ExploreOutputsInput = z.input<typeof ExploreOutputsInput>;

export const ExportOutputsInput = z.object({
  evalSetId: z.uuid("Not an eval set id"),
  format: z.enum(["csv", "jsonl"]).default("csv"),
});
