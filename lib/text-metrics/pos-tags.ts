/**
 * Part-of-speech tags from wink-nlp with wink-eng-lite-web-model (Universal Dependencies tag
 * set; the model ships inside the npm package, so nothing is downloaded at run time). The
 * pipeline is loaded once, on first use, with only sentence splitting and tagging enabled.
 *
 * Syntactic diversity of a paraphrase = normalised edit distance between the POS sequences of
 * source and output: 0 when the output keeps the source's word-class order exactly, towards 1
 * when the structure is rebuilt. Punctuation and whitespace tags are dropped, matching the word
 * tokenizer of the lexical metrics. English only.
 */
import winkNLP from "wink-nlp";
import model from "wink-eng-lite-web-model";
import { normalizedEditDistance } from "./edit-distance";

type Nlp = ReturnType<typeof winkNLP>;
let nlp: Nlp | null = null;

/** The shared wink-nlp pipeline (sentence splitting and tagging), loaded once. */
export function nlpPipeline(): Nlp {
  nlp ??= winkNLP(model, ["sbd", "pos"]);
  return nlp;
}

const SKIPPED = new Set(["PUNCT", "SPACE"]);

/** UD part-of-speech tags of the words in text, in order. */
export function posTags(text: string): string[] {
  const instance = nlpPipeline();
  const tags = instance.readDoc(text).tokens().out(instance.its.pos) as string[];
  return tags.filter((tag) => !SKIPPED.has(tag));
}

/** Normalised edit distance between the POS tag sequences of source and output, in [0, 1]. */
export function syntacticDiversity(source: string, output: string): number {
  return normalizedEditDistance(posTags(source), posTags(output));
}
