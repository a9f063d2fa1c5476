/**
 * What is wrong with the file field of an upload form before it is read: nothing chosen, or a
 * chosen file with no bytes (said as such, not as "choose a file"). Null when it can be read.
 */
export function uploadedFileProblem(file: { name: string; size: number } | null): string | null {
  if (!file || (file.size === 0 && file.name === "")) return "Choose a CSV, TSV or JSONL file to upload";
  if (file.size === 0)
    return `The file "${file.name}" is empty (0 bytes). Upload a CSV, TSV or JSONL file with a header and at least one row.`;
  return null;
}
