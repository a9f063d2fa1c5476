/**
 * A loopback server speaking the OpenAI `POST /v1/embeddings` protocol, for tests of the
 * OpenAI-compatible provider. Queued replies are used in order, one per request; then every
 * request gets deterministic vectors (a hashed bag of words, so equal words make close vectors).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeEmbeddingsReply =
  | { type: "vectors" }
  | { type: "rate-limit"; retryAfter?: number }
  | { type: "server-error" }
  | { type: "malformed"; body: string };

export interface FakeEmbeddingsServer {
  baseUrl: string;
  requests: { authorization: string | undefined; body: { model?: string; input?: string[] } }[];
  enqueue(...replies: FakeEmbeddingsReply[]): void;
  close(): Promise<void>;
}

export const FAKE_DIMENSIONS = 16;

export function bagOfWordsVector(text: string): number[] {
  const v = new Array<number>(FAKE_DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    let h = 0;
    for (const c of word) h = (h * 31 + c.charCodeAt(0)) % 1_000_003;
    v[h % FAKE_DIMENSIONS] += 1;
  }
  return v;
}

export async function startFakeEmbeddingsServer(): Promise<FakeEmbeddingsServer> {
  const queue: FakeEmbeddingsReply[] = [];
  const requests: FakeEmbeddingsServer["requests"] = [];
  const server = createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw || "{}");
    requests.push({ authorization: req.headers.authorization, body });
    const reply = queue.shift() ?? { type: "vectors" };
    if (reply.type === "rate-limit") {
      res.writeHead(429, { "content-type": "application/json", "retry-after": String(reply.retryAfter ?? 0) });
      return res.end(JSON.stringify({ error: { message: "Rate limit reached" } }));
    }
    if (reply.type === "server-error") {
      res.writeHead(500, { "content-type": "application/json" });
      return res.end(JSON.stringify({ error: { message: "internal error" } }));
    }
    res.writeHead(200, { "content-type": "application/json" });
    if (reply.type === "malformed") return res.end(reply.body);
    const input: string[] = Array.isArray(body.input) ? body.input : [body.input];
    res.end(
      JSON.stringify({
        object: "list",
        model: body.model,
        data: input.map((text, index) => ({ object: "embedding", index, embedding: bagOfWordsVector(text) })),
        usage: { prompt_tokens: input.length, total_tokens: input.length },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...replies) => queue.push(...replies),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
