import { describe, expect, it } from "vitest";
import { COMPRESS_MIN_BYTES, jsonReply } from "./json-reply";

describe("jsonReply", () => {
  it("marks a small reply no-transform, so the server does not gzip it, keeping other cache directives", async () => {
    const res = jsonReply({ ok: true }, { status: 201, headers: { "cache-control": "no-store" } });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(await res.json()).toEqual({ ok: true });
    expect(jsonReply(null).headers.get("cache-control")).toBe("no-transform");
  });

  it("leaves a large reply to the compression step", async () => {
    const big = { text: "x".repeat(COMPRESS_MIN_BYTES) };
    const res = jsonReply(big);
    expect(res.headers.get("cache-control")).toBeNull();
    expect(await res.json()).toEqual(big);
    // Counted in bytes, not characters: multi-byte text crosses the line sooner.
    expect(jsonReply({ text: "é".repeat(COMPRESS_MIN_BYTES / 2) }).headers.get("cache-control")).toBeNull();
  });
});
