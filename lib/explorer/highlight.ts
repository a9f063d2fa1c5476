import { tokenizeWords } from "@/lib/text-metrics";

export interface Segment {
  text: string;
  /** True for a word the source does not contain (compared as the lexical metrics compare words). */
  isChanged: boolean;
}

/** The output split into runs, words absent from the source marked, whitespace kept as it is. */
export function highlightChanges(source: string, output: string): Segment[] {
  const known = new Set(tokenizeWords(source));
  const segments: Segment[] = [];
  for (const part of output.split(/(\s+)/)) {
    if (part === "") continue;
    const words = tokenizeWords(part);
    const isChanged = words.length > 0 && words.some((w) => !known.has(w));
    const last = segments.at(-1);
    if (last && last.isChanged === isChanged) last.text += part;
    else segments.push({ text: part, isChanged });
  }
  return segments;
}
