import http from "node:http";
import https from "node:https";

/**
 * A `fetch` for the OpenAI client made of node:http(s) with keep-alive agents, for requests whose
 * body is a string (chat completions) and whose reply is read whole. Node's built-in fetch
 * (undici, web streams) cost about 1.1 ms of CPU per call on the generation bench against 0.35 ms
 * for node:http, and a worker makes one call per item, so it was the largest part of a worker's
 * CPU per item. What the client relies on behaves as fetch does: an aborted signal rejects with an
 * AbortError (its time-out and cancellation), a failed connection with TypeError("fetch failed")
 * carrying the cause, and the reply is a standard Response (status, headers, text(), json()).
 */
const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 256 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 256 }),
};

/** Statuses a Response may not carry a body with. */
const NO_BODY = new Set([101, 103, 204, 205, 304]);

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === "AbortError") return reason;
  return new DOMException("This operation was aborted", "AbortError");
}

export function nodeFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  // Anything this does not handle goes to the built-in fetch: streamed bodies, Request objects.
  if (typeof input !== "string" && !(input instanceof URL)) return fetch(input, init);
  const body = init.body;
  if (body !== undefined && body !== null && typeof body !== "string") return fetch(input, init);
  const url = new URL(input);
  const agent = agents[url.protocol as keyof typeof agents];
  if (!agent) return fetch(input, init);
  const signal = init.signal ?? undefined;
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => (headers[name] = value));
  if (typeof body === "string") headers["content-length"] = String(Buffer.byteLength(body));

  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const request = (url.protocol === "https:" ? https : http).request(url, {
      method: init.method ?? "GET",
      headers,
      agent,
    });
    const onAbort = () => request.destroy(abortError(signal!));
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => signal?.removeEventListener("abort", onAbort);
    request.on("error", (err: Error) => {
      done();
      reject(err.name === "AbortError" ? err : new TypeError("fetch failed", { cause: err }));
    });
    request.on("response", (res) => {
      const chunks: Buffer[] = [];
      let ended = false;
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", () => undefined); // reported by "close" below
      res.on("close", () => {
        if (ended) return;
        done();
        // Cut off mid-reply: by the signal (time-out, cancel) or by the connection.
        if (signal?.aborted) reject(abortError(signal));
        else
          reject(new TypeError("fetch failed", { cause: new Error("the connection closed before the reply ended") }));
      });
      res.on("end", () => {
        ended = true;
        done();
        const status = res.statusCode ?? 500;
        const replyHeaders = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          replyHeaders.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
        try {
          resolve(
            new Response(NO_BODY.has(status) ? null : Buffer.concat(chunks), {
              status,
              statusText: res.statusMessage,
              headers: replyHeaders,
            }),
          );
        } catch (err) {
          reject(new TypeError("fetch failed", { cause: err })); // a status a Response cannot carry
        }
      });
    });
    request.end(body ?? undefined);
  });
}
