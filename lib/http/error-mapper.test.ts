import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ConflictError, ForbiddenError, NotFoundError, RateLimitError, ValidationError } from "@/lib/errors";
import { toErrorBody } from "./error-mapper";

describe("error mapper", () => {
  it("maps a zod error to 422 naming the field to fix", () => {
    const r = z.object({ email: z.email("Enter a valid email address") }).safeParse({ email: "nope" });
    const mapped = toErrorBody(r.error);
    expect(mapped.status).toBe(422);
    expect(mapped.body.error.fields).toEqual({ email: "Enter a valid email address" });
  });

  it.each([
    [new NotFoundError(), 404],
    [new ForbiddenError(), 403],
    [new ConflictError("dup"), 409],
    [new ValidationError("bad", { name: "too long" }), 422],
  ])("maps %s to its status", (err, status) => {
    expect(toErrorBody(err).status).toBe(status);
  });

  it("sets Retry-After for rate limits", () => {
    const m = toErrorBody(new RateLimitError("slow down", 42));
    expect(m.status).toBe(429);
    expect(m.headers).toEqual({ "Retry-After": "42" });
  });

  it("maps Prisma's not-found and unique-violation codes", () => {
    expect(toErrorBody(Object.assign(new Error("x"), { code: "P2025" })).status).toBe(404);
    expect(toErrorBody(Object.assign(new Error("x"), { code: "P2002" })).status).toBe(409);
  });

  it("answers anything else with a 500 that leaks nothing", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const m = toErrorBody(new Error("password=hunter2 at db host 10.0.0.1"));
    expect(m.status).toBe(500);
    expect(JSON.stringify(m.body)).not.toMatch(/hunter2|10\.0\.0\.1/);
    spy.mockRestore();
  });
});
