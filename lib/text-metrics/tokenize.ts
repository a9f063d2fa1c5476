/**
 * Word tokens for the lexical metrics: lower-cased runs of letters and digits, keeping inner
 * apostrophes and hyphens ("don't", "state-of-the-art" stay one token). Punctuation is dropped,
 * so a paraphrase that only changes a comma is not counted as lexically different. The same
 * tokenizer serves edit distance, BLEU, Jaccard and length ratio, so they agree on "a word".
 */
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

export function tokenizeWords(text: string): string[] {
  return (text.normalize("NFC").toLowerCase().match(WORD) ?? []).map((token) => token.replace(/’/g, "'"));
}
