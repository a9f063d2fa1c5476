/**
 * Automatic metrics of one paraphrase against its source, the lexical and syntactic axes of the
 * paper's human criteria (semantic similarity is computed elsewhere, by an embedding model):
 * - wordEditDistance: normalised word-level Levenshtein distance (lexical diversity; 0 = copy);
 * - bleuVsSource: sentence BLEU-4 with add-one smoothing of the output against the source
 *   (n-gram overlap; high = close to a copy);
 * - unigramJaccard / bigramJaccard: overlap of the word and word-pair sets;
 * - syntacticDiversity: normalised edit distance of the POS tag sequences;
 * - lengthRatio: output words / source words (null for an empty source);
 * - wordPositionDeviation / lexicalDeviation: WPD and LD of Liu & Soh (2022) over lemmas
 *   (syntactic and lexical axes; null where undefined, see paraphrase-deviation.ts).
 * Tree edit distance needs an external parser and is computed apart (syntactic-trees.ts).
 * Analyse each source once with analyzeText and reuse it for all of its outputs.
 */
import { ngramJaccard, selfBleu, sentenceBleu } from "./bleu";
import { normalizedEditDistance } from "./edit-distance";
import { lemmaTokens } from "./lemmas";
import { lexicalDeviation, wordPositionDeviation, type LemmaToken } from "./paraphrase-deviation";
import { posTags } from "./pos-tags";
import { tokenizeWords } from "./tokenize";

export interface TextAnalysis {
  words: string[];
  pos: string[];
  lemmas: LemmaToken[];
}

export interface OutputMetrics {
  wordEditDistance: number;
  bleuVsSource: number;
  unigramJaccard: number;
  bigramJaccard: number;
  syntacticDiversity: number;
  lengthRatio: number | null;
  wordPositionDeviation: number | null;
  lexicalDeviation: number | null;
  outputWords: number;
}

export function analyzeText(text: string): TextAnalysis {
  return { words: tokenizeWords(text), pos: posTags(text), lemmas: lemmaTokens(text) };
}

/** Metrics of an output against its source (either may be raw text or an analysis). */
export function computeOutputMetrics(args: {
  source: string | TextAnalysis;
  output: string | TextAnalysis;
}): OutputMetrics {
  const source = typeof args.source === "string" ? analyzeText(args.source) : args.source;
  const output = typeof args.output === "string" ? analyzeText(args.output) : args.output;
  return {
    wordEditDistance: normalizedEditDistance(source.words, output.words),
    bleuVsSource: sentenceBleu(output.words, [source.words]),
    unigramJaccard: ngramJaccard(source.words, output.words, 1),
    bigramJaccard: ngramJaccard(source.words, output.words, 2),
    syntacticDiversity: normalizedEditDistance(source.pos, output.pos),
    lengthRatio: source.words.length === 0 ? null : output.words.length / source.words.length,
    wordPositionDeviation: wordPositionDeviation(source.lemmas, output.lemmas),
    lexicalDeviation: lexicalDeviation(source.lemmas, output.lemmas),
    outputWords: output.words.length,
  };
}

/** Self-BLEU of one system's outputs for one source (null with fewer than two outputs). */
export function selfBleuOfOutputs(outputs: readonly string[]): number | null {
  return selfBleu(outputs.map(tokenizeWords));
}
