import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddingsError, openAiEmbeddings } from "./openai-embeddings";
import {
  bagOfWordsVector,
  startFakeEmbeddingsServer,
  type FakeEmbeddingsServer,
} from "./testing/fake-embeddings-server";

let server: FakeEmbeddingsServer;
beforeAll(async () => (server = await startFakeEmbeddingsServer()));
afterAll(() => server.close());

const KEY = "sk-secret-key-1234";
function provider(sleeps: number[] = []) {
  return openAiEmbeddings({
    baseUrl: server.baseUrl,
    model: "test-embedder",
    apiKey: KEY,
    timeoutMs: 5000,
    maxRetries: 2,
    sleep: async (ms) => void sleeps.push(ms),
  });
}

describe("OpenAI-compatible embeddings provider", () => {
  it("sends the batch with the model and key, and returns one vector per text in order", async () => {
    server.requests.length = 0;
    const vectors = await provider().embed(["a red car", "the blue sky"]);
    expect(vectors.map((v) => Array.from(v))).toEqual([
      bagOfWordsVector("a red car"),
      bagOfWordsVector("the blue sky"),
    ]);
    expect(server.requests[0].body).toMatchObject({ model: "test-embedder", input: ["a red car", "the blue sky"] });
    expect(server.requests[0].authorization).toBe(`Bearer ${KEY}`);
    expect(provider().model).toMatch(/^openai:test-embedder@127\.0\.0\.1:\d+\/v1$/);
  });

  it("retries a 429, honouring Retry-After, then succeeds", async () => {
    server.enqueue({ type: "rate-limit", retryAfter: 3 });
    const sleeps: number[] = [];
    const vectors = await provider(sleeps).embed(["hello world"]);
    expect(vectors).toHaveLength(1);
    expect(sleeps).toEqual([3000]);
  });

  it("gives up after the retries with a message naming the status and never the key", async () => {
    server.enqueue({ type: "server-error" }, { type: "server-error" }, { type: "server-error" });
    const err = await provider()
      .embed(["x"])
      .catch((e) => e);
    expect(err).toBeInstanceOf(EmbeddingsError);
    expect(err.message).toMatch(/HTTP 500.*after 3 attempts/);
    expect(err.message).not.toContain(KEY);
  });

  it("refuses a malformed reply with a message that says what was wrong", async () => {
    server.enqueue({ type: "malformed", body: "not json" });
    await expect(provider().embed(["x"])).rejects.toThrow(/did not answer JSON/);
    server.enqueue({ type: "malformed", body: JSON.stringify({ data: [{ index: 0, embedding: "nope" }] }) });
    await expect(provider().embed(["x"])).rejects.toThrow(/malformed vector at position 0/);
    server.enqueue({ type: "malformed", body: JSON.stringify({ data: [] }) });
    await expect(provider().embed(["x", "y"])).rejects.toThrow(/0 vectors for 2 texts/);
  });
});
