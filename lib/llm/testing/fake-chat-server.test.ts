import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeChatServer, type FakeChatServer } from "./fake-chat-server";

let server: FakeChatServer;
beforeAll(async () => {
  server = await startFakeChatServer({ apiKey: "k-123" });
});
afterAll(() => server.close());

const chat = (content: string, auth = "Bearer k-123") =>
  fetch(`${server.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: auth },
    body: JSON.stringify({ model: "m", temperature: 0, messages: [{ role: "user", content }] }),
  });

describe("fake chat server", () => {
  it("listens on loopback and answers deterministically with usage", async () => {
    expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const responses = await Promise.all([chat("Give 2.\nSentence: It rains."), chat("Give 2.\nSentence: It rains.")]);
    const bodies = await Promise.all(responses.map((r) => r.json()));
    expect(bodies[0].choices[0].message.content).toBe("1. In other words, it rains.\n2. Put differently, it rains.");
    expect(bodies[1].choices[0].message.content).toBe(bodies[0].choices[0].message.content);
    expect(bodies[0].usage.total_tokens).toBe(bodies[0].usage.prompt_tokens + bodies[0].usage.completion_tokens);
  });

  it("answers 401 with an OpenAI error body when the key is wrong", async () => {
    const res = await chat("Sentence: x", "Bearer nope");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: {
        message: "Incorrect API key provided.",
        type: "authentication_error",
        code: "invalid_api_key",
        param: null,
      },
    });
  });

  it("forces replies with prompt markers and control endpoints", async () => {
    const limited = await chat("Sentence: x [[fake:rate-limit]]");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((await chat("Sentence: x [[fake:error:503]]")).status).toBe(503);

    await fetch(`${server.url}/__fake/replies`, {
      method: "POST",
      body: JSON.stringify({ replies: [{ type: "content", content: "scripted" }] }),
    });
    expect((await (await chat("Sentence: y")).json()).choices[0].message.content).toBe("scripted");
    const { requests } = await (await fetch(`${server.url}/__fake/requests`)).json();
    expect(requests.at(-1)).toMatchObject({
      model: "m",
      temperature: 0,
      prompt: "Sentence: y",
      authorization: "Bearer k-123",
    });
  });

  it("answers unknown paths with 404", async () => {
    const res = await fetch(`${server.url}/v1/completions`, { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toBe("Unknown endpoint POST /v1/completions.");
  });
});
