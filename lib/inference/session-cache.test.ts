import path from "node:path";
import { describe, expect, it } from "vitest";
import { cachedSessionCount, getSession } from "./session-cache";
import { SHIPPED_MODELS_DIR, STUDENT } from "./testing/fixtures";

const file = (name: string) => path.join(SHIPPED_MODELS_DIR, STUDENT, name);

describe("getSession", () => {
  it("loads each ONNX file once and hands back the same session", async () => {
    const before = cachedSessionCount();
    const [a, b] = await Promise.all([getSession(file("encoder_model.onnx")), getSession(file("encoder_model.onnx"))]);
    expect(b).toBe(a);
    expect(await getSession(file("encoder_model.onnx"))).toBe(a);
    expect(a.inputNames).toEqual(["input_ids", "attention_mask"]);
    expect(cachedSessionCount()).toBeLessThanOrEqual(before + 1);
  });

  it("does not keep a failed load, so a later call can retry", async () => {
    const missing = file("no-such-model.onnx");
    await expect(getSession(missing)).rejects.toThrow();
    await new Promise((r) => setImmediate(r));
    const count = cachedSessionCount();
    await expect(getSession(missing)).rejects.toThrow();
    await new Promise((r) => setImmediate(r));
    expect(cachedSessionCount()).toBe(count);
  });
});
