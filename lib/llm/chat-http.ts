import http from "node:http";
import https from "node:https";
import type { ChatCompletion } from "openai/resources/chat/completions";

/**
 * One POST to an OpenAI-compatible `/chat/completions`, made with node:http(s) and keep-alive
 * agents, the reply read whole. The official client (with node:http under it as its fetch) cost a
 * worker about 0.2 ms of CPU per call on the generation bench on top of the HTTP itself: its
 * request options, header merging, debug-log formatting done even with logging off, and a web
 * Response with its streams for each reply; a generation job makes one call per item. What the
 * callers need from it is here: the parsed completion, or one of the errors below (time-out,
 * connection, HTTP status with the server's error object and headers, caller's abort), and a
 * body that is not JSON throws a SyntaxError. Nothing is read from OPENAI_* variables.
 */
const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 256 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 256 }),
};

/** The caller's signal aborted. */
export class ChatAbortError extends Error {}
/** No reply within the time-out. */
export class ChatTimeoutError extends Error {}
/** The request failed below HTTP (refused, reset, DNS); `cause` says how. */
export class ChatConnectionError extends Error {}
/** A reply with a status other than 2xx. */
export class ChatHttpError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    /** The body's `error` object (OpenAI's shape: message, type, code), when the body is JSON. */
    readonly error: unknown,
    readonly requestId: string | null,
  ) {
    super(`HTTP ${status}`);
  }
}

export interface ChatRequest {
  baseUrl: string;
  apiKey: string;
  body: Record<string, unknown>;
  timeoutMs: number;
  signal?: AbortSignal;
}

export function postChatCompletion({ baseUrl, apiKey, body, timeoutMs, signal }: ChatRequest): Promise<ChatCompletion> {
  const url = new URL(`${baseUrl.replace(/\/+$/, "")}/chat/completions`);
  const agent = agents[url.protocol as keyof typeof agents];
  if (!agent) return Promise.reject(new ChatConnectionError(`unsupported protocol ${url.protocol}`));
  const payload = JSON.stringify(body);
  return new Promise<ChatCompletion>((resolve, reject) => {
    if (signal?.aborted) return reject(new ChatAbortError("aborted"));
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      fn();
    };
    const request = (url.protocol === "https:" ? https : http).request(url, {
      method: "POST",
      agent,
      headers: {
        accept: "application/json",
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(payload)),
        // Local OpenAI-compatible servers often need no key; send a placeholder as the client did.
        authorization: `Bearer ${apiKey || "no-key"}`,
        "user-agent": "distil-eval",
      },
    });
    const fail = (err: Error) =>
      settle(() => {
        request.destroy();
        reject(err);
      });
    const timer = setTimeout(() => fail(new ChatTimeoutError("timed out")), timeoutMs);
    const onAbort = () => fail(new ChatAbortError("aborted"));
    signal?.addEventListener("abort", onAbort, { once: true });
    request.on("error", (err: Error) => fail(new ChatConnectionError(err.message, { cause: err })));
    request.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", () => undefined); // reported by "close" below
      res.on("close", () => {
        if (!res.complete) fail(new ChatConnectionError("the connection closed before the reply ended"));
      });
      res.on("end", () =>
        settle(() => {
          const status = res.statusCode ?? 500;
          const text = Buffer.concat(chunks).toString("utf8");
          if (status >= 200 && status < 300) {
            try {
              resolve(JSON.parse(text) as ChatCompletion);
            } catch (err) {
              reject(err); // a SyntaxError: a truncated or non-JSON body
            }
            return;
          }
          const headers = new Headers();
          for (let i = 0; i < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          const error = (parsed as { error?: unknown } | undefined)?.error;
          reject(new ChatHttpError(status, headers, error, headers.get("x-request-id")));
        }),
      );
    });
    request.end(payload);
  });
}
