import type { EvalSetFormat } from "./schemas";

const BY_EXTENSION: Record<string, EvalSetFormat> = {
  csv: "csv",
  tsv: "tsv",
  tab: "tsv",
  jsonl: "jsonl",
  ndjson: "jsonl",
  json: "jsonl",
};

export interface DetectedFormat {
  format: EvalSetFormat;
  detectedBy: "extension" | "content";
}

/**
 * Picks the format from the file extension, falling back to the first non-blank line for unknown extensions
 * (.txt, none). A ".csv" whose first line has tabs and no commas is read as TSV, because
 * spreadsheet tools often save tab-separated text under a .csv name.
 */
export function detectFormat(filename: string, firstLine: string): DetectedFormat {
  const ext = /\.([a-z0-9]+)$/i.exec(filename.trim())?.[1]?.toLowerCase() ?? "";
  const byExt = BY_EXTENSION[ext];
  if (byExt === "csv" && firstLine.includes("\t") && !firstLine.includes(","))
    return { format: "tsv", detectedBy: "content" };
  if (byExt) return { format: byExt, detectedBy: "extension" };
  return { format: sniff(firstLine), detectedBy: "content" };
}

function sniff(firstLine: string): EvalSetFormat {
  if (firstLine.trimStart().startsWith("{")) return "jsonl";
  const tabs = firstLine.split("\t").length - 1;
  const commas = firstLine.split(",").length - 1;
  return tabs > commas ? "tsv" : "csv";
}
