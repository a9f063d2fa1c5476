import { request } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { NotFoundError } from "@/lib/errors";
import type { NodeRoute } from "./node-route";
import { API_CSP, SECURITY_HEADERS } from "./security-headers";
import { listenWithNodeRoutes } from "./testing/node-route-server";

// A node route in front of a stand-in for Next, on a real HTTP server, driven over real sockets.
const ran: { params: string[]; query: string; body: unknown }[] = [];
const echo: NodeRoute = {
  method: "POST",
  path: /^\/api\/things\/([^/]+)\/echo$/,
  maxBodyBytes: 1024,
  async run(req) {
    const body = await req.json();
    ran.push({ params: req.params, query: req.query.toString(), body });
    if (req.params[0] === "missing") throw new NotFoundError("No such thing");
    const parsed = z.object({ n: z.number() }).parse(body);
    return { body: { n: parsed.n + 1 }, status: 201, headers: { "cache-control": "no-store" } };
  },
};

let server: Awaited<ReturnType<typeof listenWithNodeRoutes>>;
let base: string;
beforeAll(async () => {
  process.env.NEXTAUTH_URL = "http://localhost:3000";
  server = await listenWithNodeRoutes([echo]);
  base = server.base;
});
afterAll(() => server.close());
beforeEach(() => {
  ran.length = 0;
});

const host = () => new URL(base).host;
/** A same-origin JSON POST, as the app's own page sends it; `headers` override. */
function post(path: string, body: string | undefined, headers: Record<string, string> = {}) {
  return fetch(base + path, {
    method: "POST",
    headers: { origin: base, "content-type": "application/json", ...headers },
    body,
  });
}

describe("a route scripts/serve.ts answers itself, before Next", () => {
  it("runs on its exact path and method, with the path's params decoded and the query", async () => {
    const res = await post("/api/things/a%20b/echo?next=1", '{"n":41}');
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ n: 42 });
    expect(ran).toEqual([{ params: ["a b"], query: "next=1", body: { n: 41 } }]);
  });

  it("carries the security headers every API reply carries, and the JSON reply's own", async () => {
    const res = await post("/api/things/x/echo", '{"n":1}');
    for (const { key, value } of SECURITY_HEADERS) expect(res.headers.get(key), key).toBe(value);
    expect(res.headers.get("content-security-policy")).toBe(API_CSP);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(res.headers.get("content-length")).toBe(String('{"n":2}'.length));
  });

  it("leaves every other path, method or spelling to Next", async () => {
    for (const [method, path] of [
      ["GET", "/api/things/x/echo"],
      ["PUT", "/api/things/x/echo"],
      ["POST", "/api/things/x/echo/"],
      ["POST", "/api/things/x/y/echo"],
      ["POST", "/api/things/%E0%A4%A/echo"], // a malformed escape
      ["POST", "/api/other"],
    ]) {
      const res = await fetch(base + path, { method, headers: { origin: base } });
      expect(res.headers.get("x-served-by"), `${method} ${path}`).toBe("next");
    }
    expect(ran).toEqual([]);
  });

  it("refuses a page on another origin (CSRF) before the route runs", async () => {
    const other = `http://localhost:${Number(new URL(base).port) + 1}`;
    const res = await post("/api/things/x/echo", '{"n":1}', { origin: other });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("cross_origin");
    const noOrigin = await fetch(base + "/api/things/x/echo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"n":1}',
    });
    expect(noOrigin.status).toBe(403);
    expect(ran).toEqual([]);
  });

  it("refuses a body that is not JSON (a cross-site form's text/plain) with 415", async () => {
    const res = await post("/api/things/x/echo", '{"n":1}', { "content-type": "text/plain" });
    expect(res.status).toBe(415);
    expect((await res.json()).error.message).toMatch(/Content-Type: application\/json/);
    expect(ran).toEqual([]);
  });

  it("maps the route's errors through the one mapper: zod to 422 with the field, AppError to its status", async () => {
    const bad = await post("/api/things/x/echo", '{"n":"one"}');
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.fields).toHaveProperty("n");
    const missing = await post("/api/things/missing/echo", '{"n":1}');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: "not_found", message: "No such thing" } });
    expect(missing.headers.get("content-security-policy")).toBe(API_CSP);
  });

  it("refuses a body over the route's limit with 413 and the limit, whether it declares its length or not", async () => {
    const big = JSON.stringify({ n: 1, pad: "x".repeat(4096) });
    const declared = await post("/api/things/x/echo", big);
    expect(declared.status).toBe(413);
    expect((await declared.json()).error).toMatchObject({ code: "too_large", message: expect.stringMatching(/1 KB/) });

    // Chunked, with no Content-Length: refused as the bytes arrive past the limit.
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${base}/api/things/x/echo`, {
        method: "POST",
        headers: { origin: base, "content-type": "application/json", host: host() },
      });
      req.on("response", (res) => {
        let body = "";
        res.on("data", (c) => (body += c)).on("end", () => resolve({ status: res.statusCode!, body }));
      });
      req.on("error", reject);
      for (let i = 0; i < 8; i++) req.write(big.slice(i * 512, (i + 1) * 512));
      req.end(big.slice(8 * 512));
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).error.code).toBe("too_large");
    expect(ran).toEqual([]);
  });
});
