import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { paraphraseWithTeacher, type TeacherDeps } from "./teacher-client";
import { TeacherError } from "./teacher-error";
import { DEFAULT_PARAPHRASE_PROMPT_TEMPLATE } from "./prompt";
import { startFakeChatServer, deterministicParaphrases, type FakeChatServer } from "./testing/fake-chat-server";
import type { TeacherConfig } from "./schemas";

const API_KEY = "sk-test-4f9a8b7c6d5e-SECRET";
const SENTENCE = "The committee approved the new budget on Friday.";
let server: FakeChatServer;

beforeAll(async () => {
  server = await startFakeChatServer();
});
afterEach(() => server.reset());
afterAll(() => server.close());

function config(overrides: Partial<TeacherConfig> = {}): TeacherConfig {
  return {
    baseUrl: server.baseUrl,
    model: "fake-gpt",
    apiKey: API_KEY,
    promptTemplate: DEFAULT_PARAPHRASE_PROMPT_TEMPLATE,
    n: 3,
    temperature: 0,
    timeoutMs: 5000,
    maxRetries: 3,
    ...overrides,
  };
}

function fakeDeps(now = () => Date.now()): TeacherDeps & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms) => void sleeps.push(ms), random: () => 0, now };
}

async function failure(promise: Promise<unknown>): Promise<TeacherError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TeacherError);
  return err as TeacherError;
}

describe("paraphraseWithTeacher against the fake server", () => {
  it("returns the paraphrases and sends the prompt, model, temperature and key", async () => {
    const deps = fakeDeps();
    const result = await paraphraseWithTeacher({ config: config(), sentence: SENTENCE, deps });
    expect(result.paraphrases).toEqual(deterministicParaphrases(SENTENCE, 3));
    expect(result).toMatchObject({
      listFormat: "numbered",
      attempts: 1,
      finishReason: "stop",
      dropped: { duplicates: 0, copiesOfSource: 0 },
    });
    expect(result.promptTokens).toBeGreaterThan(0);
    expect(result.completionTokens).toBeGreaterThan(0);
    expect(result.rawReply.startsWith("1. ")).toBe(true);
    const [request] = server.requests;
    expect(request).toMatchObject({
      path: "/v1/chat/completions",
      model: "fake-gpt",
      temperature: 0,
      authorization: `Bearer ${API_KEY}`,
    });
    expect(request.prompt).toContain("Generate 3 distinct paraphrases");
    expect(request.prompt).toContain(`Sentence: ${SENTENCE}`);
    expect(deps.sleeps).toEqual([]);
  });

  it.each([
    "numbered",
    "numbered-paren",
    "numbered-parens",
    "bulleted",
    "bulleted-dot",
    "json",
    "json-fenced",
    "lines",
  ] as const)("reads a %s list", async (format) => {
    server.enqueue({
      type: "paraphrases",
      format,
      paraphrases: ["First version.", "Second version.", "first  VERSION.", SENTENCE],
    });
    const result = await paraphraseWithTeacher({ config: config(), sentence: SENTENCE, deps: fakeDeps() });
    expect(result.paraphrases).toEqual(["First version.", "Second version."]);
    expect(result.dropped).toEqual({ duplicates: 1, copiesOfSource: 1 });
  });

  it("honours Retry-After seconds on 429", async () => {
    server.enqueue({ type: "rate-limit", retryAfter: 7 });
    const deps = fakeDeps();
    const result = await paraphraseWithTeacher({ config: config(), sentence: SENTENCE, deps });
    expect(deps.sleeps).toEqual([7000]);
    expect(result.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it("honours retry-after-ms and an HTTP-date Retry-After", async () => {
    const now = Date.parse("2026-03-01T12:00:00Z");
    server.enqueue(
      { type: "rate-limit", retryAfterMs: 1500, retryAfter: 30 },
      { type: "rate-limit", retryAfter: "Sun, 01 Mar 2026 12:00:04 GMT" },
    );
    const deps = fakeDeps(() => now);
    await paraphraseWithTeacher({ config: config(), sentence: SENTENCE, deps });
    expect(deps.sleeps).toEqual([1500, 4000]);
  });

  it("gives up on 429 after maxRetries with a message that says what to do", async () => {
    server.enqueue({ type: "rate-limit" }, { type: "rate-limit" }, { type: "rate-limit" });
    const deps = fakeDeps();
    const err = await failure(paraphraseWithTeacher({ config: config({ maxRetries: 2 }), sentence: SENTENCE, deps }));
    expect(err).toMatchObject({ kind: "rate_limited", status: 429, attempts: 3, isTransient: true });
    expect(err.message).toBe(
      'The teacher endpoint kept rate limiting (HTTP 429) after 3 attempts: "Rate limit reached for requests. Please try again later.". Lower this system\'s concurrency or try again later.',
    );
    expect(deps.sleeps).toEqual([500, 1000]); // no Retry-After: exponential backoff (jitter pinned to 0)
  });

  it("fails at once when Retry-After asks for longer than the maximum wait", async () => {
    server.enqueue({ type: "rate-limit", retryAfter: 3600 });
    const deps = fakeDeps();
    const err = await failure(paraphraseWithTeacher({ config: config(), sentence: SENTENCE, deps }));
    expect(err.message).toContain("asks to wait 3600 s");
    expect(deps.sleeps).toEqual([]);
  });

  it("retries a 500 and then succeeds", async () => {
    server.enqueue({ type: "error", status: 500, message: "upstream exploded" });
    const deps = fakeDeps();
    const result = await paraphraseWithTeacher({ config: config(), sentence: SENTENCE, deps });
    expect(result.attempts).toBe(2);
    expect(deps.sleeps).toEqual([500]);
  });

  it("retries a malformed JSON body and then succeeds", async () => {
    server.enqueue({ type: "malformed-json" });
    const result = await paraphraseWithTeacher({ config: config(), sentence: SENTENCE, deps: fakeDeps() });
    expect(result.attempts).toBe(2);
  });

  it("does not retry a 400 and names the status and the server's message", async () => {
    server.enqueue({ type: "error", status: 400, message: "The model `fake-gpt` does not exist." });
    const deps = fakeDeps();
    const err = await failure(paraphraseWithTeacher({ config: config(), sentence: SENTENCE, deps }));
    expect(err).toMatchObject({ kind: "http", status: 400, attempts: 1, isTransient: false });
    expect(err.message).toBe(
      'The teacher endpoint refused the request with HTTP 400: "The model `fake-gpt` does not exist.". Check the model name and settings for this system.',
    );
    expect(server.requests).toHaveLength(1);
    expect(deps.sleeps).toEqual([]);
  });

  it("reports a reply with no list without retrying, keeping the reply", async () => {
    server.enqueue({ type: "no-list" });
    const err = await failure(paraphraseWithTeacher({ config: config(), sentence: SENTENCE, deps: fakeDeps() }));
    expect(err).toMatchObject({
      kind: "no_list",
      attempts: 1,
      rawReply: "I'm sorry, but I can't help with rephrasing that sentence.",
    });
    expect(err.message).toContain("No list found in the teacher's reply");
    expect(server.requests).toHaveLength(1);
  });

  it("retries after a time-out and then succeeds", async () => {
    server.enqueue({ type: "hang" });
    const deps = fakeDeps();
    const result = await paraphraseWithTeacher({ config: config({ timeoutMs: 200 }), sentence: SENTENCE, deps });
    expect(result.attempts).toBe(2);
    expect(deps.sleeps).toEqual([500]);
  });

  it("fails with a time-out error when every attempt hangs", async () => {
    server.enqueue({ type: "hang" }, { type: "hang" });
    const err = await failure(
      paraphraseWithTeacher({
        config: config({ timeoutMs: 150, maxRetries: 1 }),
        sentence: SENTENCE,
        deps: fakeDeps(),
      }),
    );
    expect(err).toMatchObject({ kind: "timeout", attempts: 2 });
    expect(err.message).toBe(
      `The teacher endpoint ${server.baseUrl} did not answer within 0.15 s (2 attempts). Raise the time-out or check the server's load.`,
    );
  });

  it("stops when the caller aborts", async () => {
    server.enqueue({ type: "hang" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const err = await failure(
      paraphraseWithTeacher({ config: config(), sentence: SENTENCE, signal: controller.signal, deps: fakeDeps() }),
    );
    expect(err.kind).toBe("aborted");
  });

  it("reports an unreachable endpoint after retrying", async () => {
    const closed = await startFakeChatServer();
    await closed.close();
    const err = await failure(
      paraphraseWithTeacher({
        config: config({ baseUrl: closed.baseUrl, maxRetries: 1 }),
        sentence: SENTENCE,
        deps: fakeDeps(),
      }),
    );
    expect(err).toMatchObject({ kind: "connection", attempts: 2 });
    expect(err.message).toContain(`Could not reach the teacher endpoint ${closed.baseUrl} (2 attempts)`);
  });
});

describe("API key secrecy", () => {
  it("never puts the key in an error, even when the server echoes it", async () => {
    const logs = [
      vi.spyOn(console, "log"),
      vi.spyOn(console, "warn"),
      vi.spyOn(console, "error"),
      vi.spyOn(console, "debug"),
      vi.spyOn(console, "info"),
    ];
    server.enqueue(
      {
        type: "error",
        status: 401,
        message: `Incorrect API key provided: ${API_KEY}. Authorization: Bearer ${API_KEY}`,
      },
      { type: "error", status: 503, message: `backend saw key ${API_KEY}` },
      { type: "error", status: 503, message: `backend saw key ${API_KEY}` },
    );
    const errors = [
      await failure(paraphraseWithTeacher({ config: config(), sentence: SENTENCE, deps: fakeDeps() })),
      await failure(paraphraseWithTeacher({ config: config({ maxRetries: 1 }), sentence: SENTENCE, deps: fakeDeps() })),
      await failure(
        paraphraseWithTeacher({
          config: config({ baseUrl: "http://127.0.0.1:1/v1", maxRetries: 0 }),
          sentence: SENTENCE,
          deps: fakeDeps(),
        }),
      ),
    ];
    expect(errors[0].message).toBe(
      'The teacher endpoint refused the request with HTTP 401: "Incorrect API key provided: ***. Authorization: Bearer ***". Check the API key for this system.',
    );
    for (const err of errors) {
      const everything = [
        err.message,
        String(err),
        err.stack ?? "",
        JSON.stringify(err),
        JSON.stringify(Object.entries(err)),
      ].join("\n");
      expect(everything).not.toContain(API_KEY);
      expect(everything).not.toContain("SECRET");
    }
    for (const spy of logs) {
      expect(spy.mock.calls.flat().join(" ")).not.toContain(API_KEY);
      spy.mockRestore();
    }
  });

  it("does not send OPENAI_* organisation or project headers from the environment", async () => {
    vi.stubEnv("OPENAI_ORG_ID", "org-leak");
    vi.stubEnv("OPENAI_PROJECT_ID", "proj-leak");
    try {
      await paraphraseWithTeacher({ config: config(), sentence: SENTENCE, deps: fakeDeps() });
    } finally {
      vi.unstubAllEnvs();
    }
    const headers = JSON.stringify(server.requests[0].headers);
    expect(headers).not.toContain("org-leak");
    expect(headers).not.toContain("proj-leak");
  });
});
