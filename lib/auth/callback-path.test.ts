import { describe, expect, it } from "vitest";
import { sameSiteCallbackPath } from "./callback-path";

describe("sign-in callback path", () => {
  it("keeps a path on this site, with its query", () => {
    expect(sameSiteCallbackPath("/studies/abc/results?scale=raw")).toBe("/studies/abc/results?scale=raw");
    expect(sameSiteCallbackPath("/")).toBe("/");
  });

  it.each(["https://evil.example/", "//evil.example/", "/\\evil.example/", "/\t/evil.example/", "evil", "", undefined])(
    "refuses %s",
    (value) => {
      expect(sameSiteCallbackPath(value)).toBeUndefined();
    },
  );
});
