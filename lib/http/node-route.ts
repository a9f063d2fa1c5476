import type { IncomingMessage, ServerResponse } from "node:http";
import { PayloadTooLargeError } from "@/lib/errors";
import { toErrorBody } from "./error-mapper";
import { jsonHeaders } from "./json-reply";
import { guardStateChange, type GuardedRequest } from "./request-guard";
import { API_CSP, SECURITY_HEADERS } from "./security-headers";

/**
 * A JSON route that scripts/serve.ts answers itself, on Node's own request, before Next sees it.
 * Only for the few routes every annotator calls in a loop: Next's router, its Request and
 * Response wrapping and their web streams cost the web server about 2 ms of CPU per request on
 * its own (measured with a request refused at the door), half of a rating's whole cost there.
 *
 * Such a route keeps Next's guarantees, because the same code gives them: the CSRF guard
 * (request-guard.ts) runs before the route; the route checks the session and the permission
 * itself (requireRequestActor); errors go through the one mapper (error-mapper.ts); the reply
 * carries the same security headers as any other API reply (security-headers.ts). What Next
 * would add on top (its router's redirects for a trailing slash, other methods) stays Next's:
 * only an exact path and method is answered here, anything else falls through to Next.
 */
export interface NodeRoute {
  method: "POST";
  /** Anchored; its groups, URI-decoded, are the request's params. */
  path: RegExp;
  /** A body over this is refused with 413 before it is read in full. */
  maxBodyBytes: number;
  run(req: NodeRouteRequest): Promise<NodeReply>;
}

export interface NodeRouteRequest extends GuardedRequest {
  params: string[];
  query: URLSearchParams;
  /** The body, parsed as JSON; rejects on one that is not JSON. */
  json(): Promise<unknown>;
}

export interface NodeReply {
  body: unknown;
  status?: number;
  headers?: Record<string, string>;
}

/** How to serve this request with one of `routes`, or undefined when Next should. */
export function nodeRouteFor(
  routes: readonly NodeRoute[],
  req: IncomingMessage,
): ((res: ServerResponse) => Promise<void>) | undefined {
  // Every request passes here: a page or an asset is let through before its URL is parsed.
  if (!req.url || !routes.some((r) => r.method === req.method)) return undefined;
  const url = new URL(req.url, "http://node-route.invalid");
  for (const route of routes) {
    if (req.method !== route.method) continue;
    const match = route.path.exec(url.pathname);
    if (!match) continue;
    const params = decodeAll(match.slice(1));
    if (!params) return undefined; // a malformed escape: Next answers it as it would any other
    return (res) => serve(route, { req, params, query: url.searchParams }, res);
  }
  return undefined;
}

function decodeAll(parts: string[]): string[] | undefined {
  try {
    return parts.map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
}

async function serve(
  route: NodeRoute,
  { req, params, query }: { req: IncomingMessage; params: string[]; query: URLSearchParams },
  res: ServerResponse,
): Promise<void> {
  const headers = headerView(req);
  const request: NodeRouteRequest = {
    method: req.method ?? "GET",
    headers,
    params,
    query,
    json: async () => JSON.parse((await readBody(req, route.maxBodyBytes)).toString("utf8")),
  };
  try {
    guardStateChange(request);
    const reply = await route.run(request);
    send(res, reply.status ?? 200, reply.body, reply.headers);
  } catch (err) {
    const { status, body, headers: extra } = toErrorBody(err);
    // A body left unread past the limit is not drained: the connection closes after the reply.
    if (err instanceof PayloadTooLargeError) res.shouldKeepAlive = false;
    send(res, status, body, extra);
  }
}

function headerView(req: IncomingMessage): NodeRouteRequest["headers"] {
  return {
    get: (name) => {
      const value = req.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
    has: (name) => req.headers[name.toLowerCase()] !== undefined,
  };
}

/** The body, refused as soon as it is known to pass `max` bytes (by its length, or as it arrives). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  if (Number(req.headers["content-length"] ?? 0) > max) return Promise.reject(new PayloadTooLargeError(max));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      req.off("data", onData).off("end", onEnd).pause();
      reject(new PayloadTooLargeError(max));
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on("data", onData).on("end", onEnd).on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, extra?: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  for (const { key, value } of SECURITY_HEADERS) res.setHeader(key, value);
  res.setHeader("Content-Security-Policy", API_CSP);
  jsonHeaders(text, extra).forEach((value, key) => res.setHeader(key, value));
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.statusCode = status;
  res.end(text);
}
