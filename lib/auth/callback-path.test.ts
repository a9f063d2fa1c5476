import { describe, expect, it } from "vitest";
import { sameSiteCallbackPath } from "./callback-path";

describe("sign-in callback path", () => {
  it("keeps a path on this site, with its query", () => {
    expect(sameSiteCallbackPath("/studies/abc/results?scale=raw")).toBe("/studies/abc/results?scale=raw");
    expect(sameSiteCallbackPath("/")).toBe("/");
    expect(sameSiteCallbackPath("/a/../studies")).toBe("/studies");
  });

  it.each(["https://evil.example/", "//evil.example/", "/\\evil.example/", "/\t/evil.example/", "evil", "", undefined])(
    "refuses %s",
    (value) => {
      expect(sameSiteCallbackPath(value)).toBeUndefined();
    },
  );

  // The payloads of the attack (issue 14, finding 1), as the page receives them after URL decoding:
  // each normalises to a path that a browser reads as another host.
  it.each([
    decodeURIComponent("%2F.%2F%2Fevil.example%2F"),
    "/x/..//evil.example",
    decodeURIComponent("/%2e//evil.example"),
    "/./\\evil.example",
    "/.//\\evil.example",
    "/x/../\\/evil.example",
  ])("refuses %s, which normalises to another host", (value) => {
    const kept = sameSiteCallbackPath(value);
    if (kept !== undefined) expect(new URL(kept, "https://app.example").origin).toBe("https://app.example");
    expect(kept).toBeUndefined();
  });

  it("never returns a path that a browser would read as another host", () => {
    const pieces = ["/", ".", "..", "\\", "%2e", "%2f", "x", "evil.example", "\t", "%5c"];
    for (const a of pieces)
      for (const b of pieces)
        for (const c of pieces) {
          const kept = sameSiteCallbackPath(`/${a}${b}${c}`);
          if (kept !== undefined)
            expect(new URL(kept, "https://app.example").origin, `/${a}${b}${c}`).toBe("https://app.example");
        }
  });
});
