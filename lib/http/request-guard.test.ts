import { beforeAll, describe, expect, it } from "vitest";
import { RequestRefusedError } from "@/lib/errors";
import { handle } from "./error-mapper";

beforeAll(() => {
  process.env.NEXTAUTH_URL = "http://localhost:3000";
});

let ran = 0;
const createUser = handle(async (req: Request) => {
  ran++;
  return Response.json({ body: await req.json() }, { status: 201 });
});

function post(headers: Record<string, string>, body = '{"email":"x@example.com"}') {
  return new Request("http://localhost:3000/api/users", {
    method: "POST",
    headers: { host: "localhost:3000", ...headers },
    body,
  });
}

describe("state-changing route handlers refuse cross-site requests (CSRF)", () => {
  it("refuses the auto-submitting text/plain form of a page on another port, before the handler runs", async () => {
    const before = ran;
    const res = await createUser(post({ origin: "http://localhost:3001", "content-type": "text/plain" }));
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("cross_origin");
    expect(ran).toBe(before);
  });

  it.each([
    ["another site", { origin: "https://evil.example" }],
    ["an opaque origin", { origin: "null" }],
    ["a Referer on another port", { referer: "http://localhost:3001/attack.html" }],
    ["neither Origin nor Referer", {}],
  ])("refuses JSON from %s", async (_, headers) => {
    const res = await createUser(post({ ...headers, "content-type": "application/json" }));
    expect(res.status).toBe(403);
  });

  it("refuses a same-origin body that is not JSON with 415 and says what to send", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const res = await createUser(post({ origin: "http://localhost:3000", "content-type": type }));
      expect(res.status).toBe(415);
      expect((await res.json()).error.message).toMatch(/application\/json/);
    }
  });

  it("lets same-origin JSON through, by Origin or by Referer", async () => {
    const a = await createUser(
      post({ origin: "http://localhost:3000", "content-type": "application/json; charset=utf-8" }),
    );
    expect(a.status).toBe(201);
    const b = await createUser(
      post({ referer: "http://localhost:3000/admin/users", "content-type": "application/json" }),
    );
    expect(b.status).toBe(201);
  });

  it("lets a bodyless same-origin POST through and leaves GET alone", async () => {
    const cancel = handle(async (_req: Request) => Response.json({ ok: true }));
    const res = await cancel(
      new Request("http://localhost:3000/api/jobs/1/cancel", {
        method: "POST",
        headers: { origin: "http://localhost:3000" },
      }),
    );
    expect(res.status).toBe(200);
    const get = await cancel(
      new Request("http://localhost:3000/api/jobs/1", { headers: { origin: "https://evil.example" } }),
    );
    expect(get.status).toBe(200);
  });

  it("is an AppError the one mapper turns into a response", () => {
    expect(new RequestRefusedError("x", 415).status).toBe(415);
  });
});
