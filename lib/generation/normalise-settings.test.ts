import { describe, expect, it } from "vitest";
import { normaliseSettings } from "./schemas";

// A student's System.defaultSettings hold its generation_config.json's decoding settings
// (lib/systems/sync-student-systems.ts stores ModelInfo.generationDefaults there).
const bartLike = { lengthPenalty: 2, noRepeatNgramSize: 3, numBeams: 6, earlyStopping: true, maxNewTokens: 20 };

describe("normaliseSettings for a student", () => {
  it("applies the model's generation_config wherever the request sets nothing, as generate() does", () => {
    const { settings } = normaliseSettings("ONNX_MODEL", { strategy: "beam", numBeams: 4 }, bartLike);
    expect(settings).toMatchObject({
      strategy: "beam",
      numBeams: 4,
      lengthPenalty: 2,
      noRepeatNgramSize: 3,
      earlyStopping: true,
      maxNewTokens: 20,
    });
  });

  it("keeps beam-only defaults out of greedy decoding, and lets the request win", () => {
    const { settings } = normaliseSettings("ONNX_MODEL", { strategy: "greedy", maxNewTokens: 8 }, bartLike);
    expect(settings).toMatchObject({ strategy: "greedy", numBeams: 1, noRepeatNgramSize: 3, maxNewTokens: 8 });
  });

  it("gives different settings keys when the model's defaults differ, so outputs are not wrongly reused", () => {
    const a = normaliseSettings("ONNX_MODEL", { strategy: "beam", numBeams: 4 }, {});
    const b = normaliseSettings("ONNX_MODEL", { strategy: "beam", numBeams: 4 }, bartLike);
    expect(a.settings).toMatchObject({ lengthPenalty: 1 });
    expect(a.settingsKey).not.toBe(b.settingsKey);
  });

  it("ignores stored defaults that are not decoding settings, and still refuses a bad request", () => {
    expect(normaliseSettings("ONNX_MODEL", { strategy: "greedy" }, "not an object").settings).toMatchObject({
      strategy: "greedy",
    });
    expect(() => normaliseSettings("ONNX_MODEL", { strategy: "beam", numBeams: 1 }, {})).toThrow(/numBeams/);
  });
});
