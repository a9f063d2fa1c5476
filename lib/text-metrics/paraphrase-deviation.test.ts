import { describe, expect, it } from "vitest";
import { lemmaTokens } from "./lemmas";
import { lexicalDeviation, wordPositionDeviation, type LemmaToken } from "./paraphrase-deviation";

const toks = (text: string): LemmaToken[] =>
  text.split(" ").map((lemma) => ({ lemma, isPunctuation: !/[a-z0-9]/.test(lemma) }));

// Worked by hand from the definitions in Liu & Soh (2022) and their metrics.py.
describe("word position deviation", () => {
  it("averages each shared lemma's shift in relative position (repeats: nearest occurrence)", () => {
    // Source positions (i/5): the 0 and 0.8, cat 0.2, sit 0.4, on 0.6, mat 1.
    // Output positions (i/5): on 0, the 0.2 and 0.6, mat 0.4, cat 0.8, sit 1.
    // Shifts: the -> mean(|0-0.2|, |0.8-0.6|) = 0.2; cat, sit, on, mat -> 0.6 each.
    // WPD = (0.2 + 4 x 0.6) / 5 = 0.52.
    expect(wordPositionDeviation(toks("the cat sit on the mat"), toks("on the mat the cat sit"))).toBeCloseTo(0.52, 12);
  });

  it("counts punctuation in the positions but matches only shared lemmas", () => {
    // "hello , world ." -> hello 0, world 2/3; "world hello" -> world 0, hello 1.
    // WPD = (|0 - 1| + |2/3 - 0|) / 2 = 5/6.
    expect(wordPositionDeviation(toks("hello , world ."), toks("world hello"))).toBeCloseTo(5 / 6, 12);
  });

  it("is 0 for the same order, 1 when nothing is shared, and undefined under two tokens", () => {
    expect(wordPositionDeviation(toks("a big dog bark"), toks("the large dog bark"))).toBe(0);
    expect(wordPositionDeviation(toks("red car"), toks("blue sky"))).toBe(1);
    expect(wordPositionDeviation(toks("hello"), toks("hello there"))).toBeNull();
  });
});

describe("lexical deviation", () => {
  it("is one minus shared over all lemma types, punctuation left out", () => {
    // {a, big, dog, bark} vs {the, large, dog, bark}: 2 shared of 6 -> 1 - 2/6.
    expect(lexicalDeviation(toks("a big dog bark"), toks("the large dog bark"))).toBeCloseTo(2 / 3, 12);
    expect(lexicalDeviation(toks("hello , world ."), toks("world hello !"))).toBe(0);
    expect(lexicalDeviation(toks("red car"), toks("blue sky"))).toBe(1);
    expect(lexicalDeviation([], [])).toBeNull();
  });

  it("compares lemmas, so inflection alone is no lexical change", () => {
    const s = lemmaTokens("The cats were running.");
    const t = lemmaTokens("The cat is run.");
    expect(s.map((x) => x.lemma)).toEqual(["the", "cat", "be", "run", "."]);
    expect(lexicalDeviation(s, t)).toBe(0);
    expect(wordPositionDeviation(s, t)).toBe(0);
  });
});
