/**
 * A loopback server that speaks the OpenAI chat-completions protocol, for unit, integration and
 * end-to-end tests of anything that calls a teacher LLM.
 *
 * ```ts
 * const server = await startFakeChatServer();          // 127.0.0.1, a free port
 * server.enqueue({ type: "rate-limit", retryAfter: 2 }, { type: "paraphrases", format: "json" });
 * // point the code under test at server.baseUrl ("http://127.0.0.1:<port>/v1")
 * server.requests[0].prompt; server.requests[0].authorization;   // what the client sent
 * await server.close();
 * ```
 * Queued replies are used in order, one per request; then `defaultReply` (deterministic
 * paraphrases of the sentence after "Sentence:" as a numbered list). A prompt containing a
 * marker such as "[[fake:rate-limit]]" forces that reply (see replyFromMarker), which is how
 * end-to-end tests drive a standalone server. Standalone:
 * `npx tsx lib/llm/testing/fake-chat-server.ts --port 4010`; it also serves
 * POST /__fake/replies ({"replies": FakeReply[]} to enqueue), GET /__fake/requests and
 * POST /__fake/reset.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  deterministicParaphrases,
  errorTypeFor,
  formatList,
  NO_LIST_REPLY,
  readPrompt,
  replyFromMarker,
  type FakeReply,
} from "./fake-replies";

export type { FakeReply, FakeListFormat } from "./fake-replies";
export { deterministicParaphrases } from "./fake-replies";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The Authorization header as sent, e.g. "Bearer sk-test". */
  authorization: string | undefined;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
  model: string | undefined;
  temperature: number | undefined;
  /** Content of the last user message. */
  prompt: string | undefined;
}

export interface FakeChatServerOptions {
  port?: number;
  host?: string;
  /** When set, requests without "Authorization: Bearer <apiKey>" get a 401. */
  apiKey?: string;
  /** Reply once the queue is empty; a function may choose per request. */
  defaultReply?: FakeReply | ((request: RecordedRequest) => FakeReply);
}

export interface FakeChatServer {
  /** e.g. "http://127.0.0.1:53121" */
  url: string;
  /** The base URL an OpenAI client needs: url + "/v1". */
  baseUrl: string;
  port: number;
  /** Chat-completion requests received, oldest first. */
  requests: RecordedRequest[];
  /** Chat-completion requests open now, and the most ever open at once (a concurrency limit's check). */
  readonly inFlight: number;
  readonly maxInFlight: number;
  enqueue(...replies: FakeReply[]): void;
  /** Clears the queue and the recorded requests, and starts maxInFlight again from now. */
  reset(): void;
  /** Closes the server, ending hanging requests too. */
  close(): Promise<void>;
}

/** Starts a fake OpenAI-compatible chat-completions server on loopback. */
export async function startFakeChatServer(options: FakeChatServerOptions = {}): Promise<FakeChatServer> {
  const queue: FakeReply[] = [];
  const requests: RecordedRequest[] = [];
  let completionCount = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => sendError(res, 500, `Fake server failed: ${String(err)}`));
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = (req.url ?? "/").split("?")[0];
    const text = await readBody(req);
    if (path.startsWith("/__fake/")) return control(req.method ?? "GET", path, text, res);
    if (req.method === "GET" && path === "/v1/models") {
      return sendJson(res, 200, {
        object: "list",
        data: [{ id: "fake-teacher", object: "model", created: 0, owned_by: "fake" }],
      });
    }
    if (req.method !== "POST" || path !== "/v1/chat/completions")
      return sendError(res, 404, `Unknown endpoint ${req.method} ${path}.`);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once("close", () => inFlight--);

    const recorded = record(req, path, text);
    requests.push(recorded);
    if (options.apiKey !== undefined && recorded.authorization !== `Bearer ${options.apiKey}`) {
      return sendError(res, 401, "Incorrect API key provided.", { code: "invalid_api_key" });
    }
    if (typeof recorded.body !== "object" || recorded.body === null)
      return sendError(res, 400, "The request body is not valid JSON.");
    if ((recorded.body as { stream?: unknown }).stream === true)
      return sendError(res, 400, "The fake server does not stream.");

    const fallback = typeof options.defaultReply === "function" ? options.defaultReply(recorded) : options.defaultReply;
    const reply = queue.shift() ?? replyFromMarker(recorded.prompt ?? "") ?? fallback ?? { type: "paraphrases" };
    await respond(reply, recorded, res);
  }

  async function respond(reply: FakeReply, request: RecordedRequest, res: ServerResponse) {
    switch (reply.type) {
      case "hang":
        return; // the response stays open until the client gives up or the server closes
      case "malformed-json":
        res.writeHead(200, { "content-type": "application/json" });
        return res.end('{"id": "chatcmpl-broken", "choices": [{"message": {"content": "1. trunc');
      case "rate-limit": {
        const headers: Record<string, string> = {};
        if (reply.retryAfter !== undefined) headers["retry-after"] = String(reply.retryAfter);
        if (reply.retryAfterMs !== undefined) headers["retry-after-ms"] = String(reply.retryAfterMs);
        return sendError(res, 429, reply.message ?? "Rate limit reached for requests. Please try again later.", {
          headers,
          code: "rate_limit_exceeded",
        });
      }
      case "error":
        return sendError(res, reply.status, reply.message ?? `Fake error ${reply.status}.`, {
          type: reply.errorType,
          code: reply.code,
          headers: reply.headers,
        });
      default: {
        if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        const content = contentFor(reply, request.prompt ?? "");
        completionCount++;
        const promptTokens = countTokens(request.prompt ?? "");
        const completionTokens = countTokens(content);
        return sendJson(res, 200, {
          id: `chatcmpl-fake-${completionCount}`,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: request.model ?? "fake-teacher",
          choices: [
            { index: 0, message: { role: "assistant", content, refusal: null }, finish_reason: "stop", logprobs: null },
          ],
          usage: {
            prompt_tokens: promptTokens,
            completion_tokens: completionTokens,
            total_tokens: promptTokens + completionTokens,
          },
        });
      }
    }
  }

  function control(method: string, path: string, text: string, res: ServerResponse) {
    if (method === "GET" && path === "/__fake/requests") return sendJson(res, 200, { requests });
    if (method === "POST" && path === "/__fake/reset") {
      fake.reset();
      return sendJson(res, 200, { ok: true });
    }
    if (method === "POST" && path === "/__fake/replies") {
      const replies = (safeJson(text) as { replies?: FakeReply[] } | undefined)?.replies;
      if (!Array.isArray(replies)) return sendError(res, 400, 'Send {"replies": [...]} with FakeReply objects.');
      queue.push(...replies);
      return sendJson(res, 200, { queued: queue.length });
    }
    return sendError(res, 404, `Unknown control endpoint ${method} ${path}.`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const url = `http://${address.includes(":") ? `[${address}]` : address}:${port}`;

  const fake: FakeChatServer = {
    url,
    baseUrl: `${url}/v1`,
    port,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    enqueue: (...replies) => void queue.push(...replies),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      maxInFlight = inFlight;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
  return fake;
}

function contentFor(
  reply: Extract<FakeReply, { type: "paraphrases" | "content" | "no-list" }>,
  prompt: string,
): string {
  if (reply.type === "content") return reply.content;
  if (reply.type === "no-list") return NO_LIST_REPLY;
  const { sentence, n } = readPrompt(prompt);
  return formatList(reply.paraphrases ?? deterministicParaphrases(sentence, n), reply.format ?? "numbered");
}

function record(req: IncomingMessage, path: string, text: string): RecordedRequest {
  const body = safeJson(text) ?? text;
  const b = (typeof body === "object" && body !== null ? body : {}) as {
    model?: unknown;
    temperature?: unknown;
    messages?: unknown;
  };
  const messages = Array.isArray(b.messages) ? (b.messages as Array<{ role?: unknown; content?: unknown }>) : [];
  const lastUser = [...messages].reverse().find((m) => m.role === "user");
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]),
  );
  return {
    method: req.method ?? "POST",
    path,
    headers,
    authorization: headers.authorization,
    body,
    model: typeof b.model === "string" ? b.model : undefined,
    temperature: typeof b.temperature === "number" ? b.temperature : undefined,
    prompt: typeof lastUser?.content === "string" ? lastUser.content : undefined,
  };
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  extra: { type?: string; code?: string | null; headers?: Record<string, string> } = {},
) {
  sendJson(
    res,
    status,
    { error: { message, type: extra.type ?? errorTypeFor(status), code: extra.code ?? null, param: null } },
    extra.headers,
  );
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.headersSent) return res.end();
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function countTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

// Standalone: npx tsx lib/llm/testing/fake-chat-server.ts --port 4010 [--host 127.0.0.1] [--api-key KEY]
if (process.argv[1]?.replace(/\\/g, "/").endsWith("teacher/testing/fake-chat-server.ts")) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? undefined : process.argv[i + 1];
  };
  startFakeChatServer({ port: Number(arg("port") ?? 4010), host: arg("host"), apiKey: arg("api-key") }).then(
    (server) => {
      console.log(`Fake chat-completions server listening on ${server.baseUrl}`);
      const stop = () => void server.close().then(() => process.exit(0));
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    },
  );
}
