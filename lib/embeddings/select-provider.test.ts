import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";

const FIXTURES = fileURLToPath(new URL("../inference/testing/fixtures/sentence-transformers", import.meta.url));

// env() and the provider are read once per process: a fresh module graph per case
async function providerWith(vars: Record<string, string>) {
  vi.resetModules();
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
  const { embeddingProvider } = await import("./select-provider");
  return embeddingProvider;
}
afterEach(() => vi.unstubAllEnvs());

describe("choosing the encoder from the environment", () => {
  it("EMBEDDINGS_MODEL alone names a sentence-transformers ONNX folder in MODELS_DIR", async () => {
    const select = await providerWith({ MODELS_DIR: FIXTURES, EMBEDDINGS_MODEL: "cls", EMBEDDINGS_BASE_URL: "" });
    expect(select().model).toMatch(/^onnx:cls@[0-9a-f]{12}$/);
  });

  it("says what is wrong when the folder is not there, and keeps the offline default when nothing is set", async () => {
    const missing = await providerWith({ MODELS_DIR: FIXTURES, EMBEDDINGS_MODEL: "nope", EMBEDDINGS_BASE_URL: "" });
    expect(() => missing()).toThrow(/EMBEDDINGS_MODEL=nope without EMBEDDINGS_BASE_URL .*no model folder nope/);
    const unset = await providerWith({ EMBEDDINGS_MODEL: "", EMBEDDINGS_BASE_URL: "" });
    expect(unset().model).toBe("use-lite@energetic-ai-0.2.0");
  });
});
