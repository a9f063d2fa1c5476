import { z } from "zod";

/** One rating scale. `anchors` defines every scale point ("1".."5"), shown beside the buttons. */
export const CriterionSchema = z.object({
  key: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, "Keys are lower-case letters, digits and _, starting with a letter"),
  label: z.string().trim().min(1, "Give the criterion a label").max(60),
  description: z.string().trim().max(2000).default(""),
  min: z.literal(1).default(1),
  max: z.literal(5).default(5),
  anchors: z.partialRecord(z.enum(["1", "2", "3", "4", "5"]), z.string().trim().max(500)).default({}),
});
export type Criterion = z.output<typeof CriterionSchema>;

export const CriteriaSchema = z
  .array(CriterionSchema)
  .min(1, "A study needs at least one criterion")
  .max(8, "At most 8 criteria")
  .refine((cs) => new Set(cs.map((c) => c.key)).size === cs.length, "Criterion keys must be different");
