import { describe, expect, it } from "vitest";
import { moreRatingsText, remainingRatings } from "./settle-text";

describe("moreRatingsText", () => {
  it("says settled, none would, or about N with thousands separators", () => {
    expect(moreRatingsText(0, 10)).toBe("settled");
    expect(moreRatingsText(null, 10)).toBe("none would: the estimate sits on the threshold");
    expect(moreRatingsText(1234, 5000)).toBe("about 1,234");
    expect(moreRatingsText(1234, null)).toBe("about 1,234");
  });

  it("says when the study cannot collect that many (the demo's 40 pairs asked for about 16,992,489)", () => {
    expect(moreRatingsText(16_992_489, 80)).toBe(
      "about 16,992,489, more than the 80 this study can still collect: it needs more items or a wider margin",
    );
  });
});

describe("remainingRatings", () => {
  const progress = {
    perSystem: [
      { systemId: "a", done: 30, needed: 80 },
      { systemId: "b", done: 90, needed: 80 },
    ],
  };
  it("is pairs x k less the ratings done, never negative, and null for an unknown student", () => {
    expect(remainingRatings(progress, "a")).toBe(50);
    expect(remainingRatings(progress, "b")).toBe(0);
    expect(remainingRatings(progress, "c")).toBeNull();
  });
});
