import { z } from "zod";

/**
 * The upload, as the form's File (read as a stream, never whole) or as bytes (tests, scripts):
 * exactly one of `file` and `bytes`.
 */
export const uploadBodyShape = {
  bytes: z.instanceof(Uint8Array).optional(),
  file: z.instanceof(Blob).optional(),
};
export const hasOneBody = [
  (x: { bytes?: Uint8Array; file?: Blob }) => (x.bytes === undefined) !== (x.file === undefined),
  { message: "Give the upload as a file or as bytes" },
] as const;

export const ImportEvalSetInput = z
  .object({
    name: z.string().trim().min(1, "Give the eval set a name").max(200, "Names are at most 200 characters"),
    description: z.string().trim().max(2000).default(""),
    filename: z.string().min(1),
    ...uploadBodyShape,
    /** Import the rows without errors and drop the rest; otherwise any error stops the import. */
    dropBadRows: z.boolean().default(false),
    /** Systems named in `output:<name>` columns whose outputs are the teacher's (the rest are students). */
    teacherSystems: z.array(z.string()).default([]),
    /** Made by the upload page for each import, so it can poll the import's progress. */
    uploadId: z.uuid().optional(),
  })
  .refine(...hasOneBody);
export type ImportEvalSetInput = z.input<typeof ImportEvalSetInput>;

export interface ImportEvalSetResult {
  evalSetId: string;
  importedCount: number;
  droppedCount: number;
  droppedLines: number[];
  outputsImported: number;
  systems: { name: string; role: "TEACHER" | "STUDENT"; created: boolean }[];
}

/** Where an import stands: parsing the file, then rows stored so far out of `total`. */
export interface ImportProgress {
  phase: "parsing" | "inserting" | "done" | "failed";
  done: number;
  total: number;
}

/** The settings key under which imported outputs are stored. */
export const IMPORTED_SETTINGS_KEY = "imported";
export type { EvalSetPreview } from "./parse/schemas";
export { describeProblem } from "./parse/schemas";
