import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { discoverModels } from "@/lib/inference";
import { onnxSentenceEncoder } from "./onnx-sentence-encoder";

// Tiny BERT sentence-transformers folders exported to ONNX, with sentence-transformers' own
// encode() output (make_fixture.py beside them).
const FIXTURES = fileURLToPath(new URL("../inference/testing/fixtures/sentence-transformers", import.meta.url));
type Reference = Record<string, { sentences: string[]; input_ids: number[][]; vectors: number[][] }>;
const reference = JSON.parse(readFileSync(path.join(FIXTURES, "reference.json"), "utf8")) as Reference;

const tmp: string[] = [];
afterAll(() => tmp.forEach((d) => rmSync(d, { recursive: true, force: true })));

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe("sentence-transformers ONNX provider", () => {
  it.each(["mean-normalized", "cls"])(
    "matches sentence-transformers' encode() within 1e-4 (%s pooling)",
    async (folder) => {
      const ref = reference[folder];
      const provider = onnxSentenceEncoder(folder, FIXTURES);
      expect(provider.model).toMatch(new RegExp(`^onnx:${folder}@[0-9a-f]{12}$`));
      // One batch of all (padded to the longest), and one text at a time: the same vectors
      const batched = await provider.embed(ref.sentences);
      const single = await Promise.all(ref.sentences.map(async (s) => (await provider.embed([s]))[0]));
      ref.vectors.forEach((v, i) => {
        expect(maxAbsDiff(batched[i], v)).toBeLessThan(1e-4);
        expect(maxAbsDiff(single[i], v)).toBeLessThan(1e-4);
      });
    },
  );

  it("pools as the folder's config says: normalized mean vectors have length 1, CLS vectors do not", async () => {
    const [mean] = await onnxSentenceEncoder("mean-normalized", FIXTURES).embed(["the cat sat"]);
    const [cls] = await onnxSentenceEncoder("cls", FIXTURES).embed(["the cat sat"]);
    expect(Math.hypot(...mean)).toBeCloseTo(1, 5);
    expect(Math.abs(Math.hypot(...cls) - 1)).toBeGreaterThan(0.01);
  });

  it("names what a folder lacks, and refuses modules it would not run", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "st-"));
    tmp.push(dir);
    cpSync(path.join(FIXTURES, "cls"), path.join(dir, "no-onnx"), { recursive: true });
    rmSync(path.join(dir, "no-onnx", "model.onnx"));
    expect(() => onnxSentenceEncoder("no-onnx", dir)).toThrow(/lacks model\.onnx/);
    cpSync(path.join(FIXTURES, "cls"), path.join(dir, "dense"), { recursive: true });
    const modules = JSON.parse(readFileSync(path.join(dir, "dense", "modules.json"), "utf8")) as object[];
    modules.push({ idx: 9, name: "9", path: "2_Dense", type: "sentence_transformers.models.Dense" });
    writeFileSync(path.join(dir, "dense", "modules.json"), JSON.stringify(modules));
    expect(() => onnxSentenceEncoder("dense", dir)).toThrow(/Dense are not run/);
    expect(() => onnxSentenceEncoder("../cls", FIXTURES)).toThrow(/no model folder/);
  });

  it("is not listed as a generation system or an incomplete one", async () => {
    const { models, incomplete } = await discoverModels(FIXTURES);
    expect(models).toEqual([]);
    expect(incomplete).toEqual([]);
  });
});
