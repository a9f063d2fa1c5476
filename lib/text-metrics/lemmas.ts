/**
 * Lemmas of a text from wink-nlp with wink-eng-lite-web-model (shipped in the npm package, no
 * download), in token order, punctuation included and marked; whitespace tokens dropped. The
 * pipeline is the one of pos-tags.ts (loaded once, on first use).
 */
import type { LemmaToken } from "./paraphrase-deviation";
import { nlpPipeline } from "./pos-tags";

const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;

export function lemmaTokens(text: string): LemmaToken[] {
  const nlp = nlpPipeline();
  const tokens = nlp.readDoc(text).tokens();
  // Typed for the full model only, but the lite model ships lemmas too.
  const lemmas = tokens.out(nlp.its.lemma as never) as string[];
  const types = tokens.out(nlp.its.type) as string[];
  const out: LemmaToken[] = [];
  lemmas.forEach((lemma, i) => {
    if (types[i] === "tabCRLF" || lemma.trim() === "") return;
    out.push({ lemma: lemma.toLowerCase(), isPunctuation: !HAS_WORD_CHAR.test(lemma) });
  });
  return out;
}
