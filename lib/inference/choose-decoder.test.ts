import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type * as ort from "onnxruntime-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { choiceRecordFile, forgetDecoderChoices, setPlanTimerForTests, type PlanTimer } from "./choose-decoder";
import { discoverModels, findModel, type ModelInfo } from "./discover-models";
import { generate } from "./generate";
import { resolveGenerationOptions } from "./generation-config";
import { isMerged, openModel, type LoadedModel } from "./seq2seq-model";
import { getSession } from "./session-cache";
import { expected, OPTIMUM_DIR, optimumReference, optionsForKwargs, type OptimumModel } from "./testing/optimum";

// optimum-cli's default export has both cached decoders: the one a timed warm-up found faster
// runs. A stand-in timer decides which is "faster", so each plan is tested on purpose.

const MERGED = "decoder_model_merged.onnx";
const prefers =
  (which: "merged" | "split"): PlanTimer =>
  async (m) =>
    (m.info.plan.withPast === MERGED) === (which === "merged") ? 1 : 2;

function counting(session: ort.InferenceSession, runs: { n: number }): ort.InferenceSession {
  return new Proxy(session, {
    get(target, prop) {
      if (prop === "run")
        return (...args: Parameters<ort.InferenceSession["run"]>) => {
          runs.n++;
          return target.run(...args);
        };
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe.each(["t5", "bart"] as OptimumModel[])("%s default export: the faster cached decoder", (model) => {
  const ref = optimumReference(model);
  let tmp: string;
  const infos: Record<"merged" | "split", ModelInfo | null> = { merged: null, split: null };

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "choose-decoder-"));
    for (const which of ["merged", "split"] as const) {
      cpSync(path.join(OPTIMUM_DIR, model, "default"), path.join(tmp, which, model), { recursive: true });
      setPlanTimerForTests(prefers(which));
      infos[which] = await findModel(model, path.join(tmp, which));
    }
  }, 60_000);
  afterEach(() => setPlanTimerForTests(null));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("records the choice, runs the chosen files and says so", () => {
    const merged = infos.merged!;
    expect(merged.decoderChoice).toMatchObject({ decoder: "merged", mergedMs: 1, splitMs: 2, source: "measured" });
    expect(merged.plan).toEqual({ first: MERGED, withPast: MERGED, noCache: "decoder_model.onnx" });
    expect(merged.cacheSource).toBe("merged");
    expect(merged.runFiles.filter((f) => f.endsWith(".onnx"))).toEqual(["encoder_model.onnx", MERGED]);
    expect(merged.description).toMatch(/merged decoder, use_cache_branch.*faster.*merged decoder 1\.0 ms vs separate/);
    const split = infos.split!;
    expect(split.decoderChoice).toMatchObject({ decoder: "decoder_with_past", source: "measured" });
    expect(split.plan.withPast).toBe("decoder_with_past_model.onnx");
    expect(split.runFiles).not.toContain(MERGED);
    expect(split.description).toMatch(/separate decoders 1\.0 ms vs merged decoder 2\.0 ms/);
    const record = JSON.parse(readFileSync(choiceRecordFile(merged), "utf8")) as Record<string, unknown>;
    expect(Object.values(record)).toEqual([
      expect.objectContaining({ choice: expect.objectContaining({ decoder: "merged" }) }),
    ]);
  });

  it("reads a recorded choice without timing again (the scan and the inference worker agree)", async () => {
    forgetDecoderChoices();
    let timed = 0;
    setPlanTimerForTests(async () => {
      timed++;
      return 1;
    });
    const { models } = await discoverModels(path.join(tmp, "merged"));
    expect(models[0].decoderChoice).toMatchObject({ decoder: "merged", source: "recorded" });
    expect(timed).toBe(0);
  });

  it("both plans equal generate() token for token, each with its cache", async () => {
    const outputs: Record<string, { sequences: number[][][]; scores: number[][] }[]> = {};
    for (const which of ["merged", "split"] as const) {
      const real = await openModel(infos[which]!, getSession);
      const runs = { n: 0 };
      const loaded: LoadedModel = { ...real, decoderWithPast: counting(real.decoderWithPast!, runs) };
      expect(isMerged(real.decoderWithPast!)).toBe(which === "merged");
      outputs[which] = [];
      for (const name of ["greedy", "beam"]) {
        const s = ref.strategies[name];
        const before = runs.n;
        const options = resolveGenerationOptions(loaded.info.generationDefaults, optionsForKwargs(s.generate_kwargs));
        const g = await generate(loaded, ref.inputs, options);
        expect(g.usedKvCache).toBe(true);
        // the cached steps ran on the chosen decoder (the with-past file, or the merged one's cached branch)
        expect(runs.n).toBeGreaterThan(before);
        expect(g.sequences).toEqual(expected(s).map((e) => e.ids));
        outputs[which].push({ sequences: g.sequences, scores: g.scores });
      }
    }
    expect(outputs.merged.map((o) => o.sequences)).toEqual(outputs.split.map((o) => o.sequences));
    outputs.merged.forEach((o, i) =>
      o.scores.flat().forEach((v, j) => expect(Math.abs(v - outputs.split[i].scores.flat()[j])).toBeLessThan(1e-4)),
    );
  });
});

describe("the real timing", () => {
  it("measures both plans on the fixture and records the figures", async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), "choose-decoder-real-"));
    try {
      cpSync(path.join(OPTIMUM_DIR, "t5", "default"), path.join(tmp, "t5"), { recursive: true });
      const info = (await findModel("t5", tmp))!;
      const c = info.decoderChoice!;
      expect(c.source).toBe("measured");
      expect(c.splitMs).toBeGreaterThan(0);
      expect(c.mergedMs).toBeGreaterThan(0);
      expect(c.decoder).toBe(c.mergedMs < c.splitMs ? "merged" : "decoder_with_past");
      expect(existsSync(choiceRecordFile(info))).toBe(true);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});
