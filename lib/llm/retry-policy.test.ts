import { describe, expect, it } from "vitest";
import { backoffDelayMs, retryAfterMs } from "./retry-policy";

describe("retry policy", () => {
  it("doubles the backoff, with jitter in the upper half, capped at 30 s", () => {
    expect([1, 2, 3].map((r) => backoffDelayMs(r, () => 0))).toEqual([500, 1000, 2000]);
    expect([1, 2, 3].map((r) => backoffDelayMs(r, () => 1))).toEqual([1000, 2000, 4000]);
    expect(backoffDelayMs(20, () => 1)).toBe(30_000);
  });

  it("reads retry-after-ms, Retry-After seconds and HTTP-dates", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs(new Headers({ "retry-after-ms": "250", "retry-after": "9" }), now)).toBe(250);
    expect(retryAfterMs(new Headers({ "retry-after": "3" }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ "retry-after": "0.5" }), now)).toBe(500);
    expect(retryAfterMs(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:07 GMT" }), now)).toBe(7000);
    expect(retryAfterMs(new Headers({ "retry-after": "Wed, 31 Dec 2025 23:00:00 GMT" }), now)).toBe(0);
    expect(retryAfterMs(new Headers({ "retry-after": "soon" }), now)).toBeNull();
    expect(retryAfterMs(new Headers(), now)).toBeNull();
  });
});
