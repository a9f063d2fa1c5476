import { describe, expect, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { assertCheckShares } from "./check-shares";

describe("assertCheckShares", () => {
  it("allows checks up to half of the pairs together", () => {
    expect(() => assertCheckShares({ goldShare: 0.25, attentionShare: 0.25 })).not.toThrow();
    expect(() => assertCheckShares({ goldShare: 0, attentionShare: 0 })).not.toThrow();
  });
  it("refuses more than half, naming the gold share field", () => {
    let err: unknown;
    try {
      assertCheckShares({ goldShare: 0.3, attentionShare: 0.25 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fields).toEqual({ goldShare: "Too high with the attention share" });
  });
  it("refuses gold or attention checks in a ranking study, allows none", () => {
    expect(() => assertCheckShares({ design: "RANKING", goldShare: 0.1, attentionShare: 0 })).toThrow(
      /no gold or attention/,
    );
    expect(() => assertCheckShares({ design: "RANKING", goldShare: 0, attentionShare: 0.05 })).toThrow(ValidationError);
    expect(() => assertCheckShares({ design: "RANKING", goldShare: 0, attentionShare: 0 })).not.toThrow();
    expect(() => assertCheckShares({ design: "PAIRWISE", goldShare: 0.1, attentionShare: 0.05 })).not.toThrow();
  });
});
