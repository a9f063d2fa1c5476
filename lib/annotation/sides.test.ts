import { describe, expect, it } from "vitest";
import {
  blindScores,
  placeSides,
  preferenceFor,
  preferredRole,
  roleOf,
  sideOf,
  studentPreferenceSign,
  unblind,
  unblindScores,
  type Preference,
  type Role,
} from "./sides";

describe("the sides vocabulary", () => {
  it("places the teacher on the left exactly when teacherOnLeft", () => {
    expect(placeSides(true, "T", "S")).toEqual({ left: "T", right: "S" });
    expect(placeSides(false, "T", "S")).toEqual({ left: "S", right: "T" });
    expect(sideOf("teacher", true)).toBe("left");
    expect(sideOf("teacher", false)).toBe("right");
    expect(sideOf("student", true)).toBe("right");
    expect(roleOf("left", false)).toBe("student");
    expect(roleOf("right", false)).toBe("teacher");
  });

  it("un-blinds a preference the way it was blinded, for both side orders", () => {
    for (const teacherOnLeft of [true, false])
      for (const role of ["teacher", "student", null] as (Role | null)[]) {
        const shown = preferenceFor(role, teacherOnLeft);
        expect(preferredRole(shown, teacherOnLeft)).toBe(role);
      }
    expect(preferenceFor("teacher", false)).toBe("RIGHT");
    expect(preferredRole("LEFT", false)).toBe("student");
    const signs = (["LEFT", "TIE", "RIGHT"] as Preference[]).map((p) => studentPreferenceSign(p, true));
    expect(signs).toEqual([-1, 0, 1]);
    expect(studentPreferenceSign("LEFT", false)).toBe(1);
  });

  it("round-trips scores through blinding, and keeps a missing side missing", () => {
    const byRole = { meaning: { teacher: 5, student: 2 }, fluency: { teacher: 4, student: 3 } };
    for (const teacherOnLeft of [true, false]) {
      const shown = blindScores(byRole, teacherOnLeft);
      expect(shown.meaning[sideOf("student", teacherOnLeft)]).toBe(2);
      expect(unblindScores(shown, teacherOnLeft)).toEqual(byRole);
    }
    expect(unblindScores({ meaning: { left: 4 } }, false)).toEqual({ meaning: { teacher: undefined, student: 4 } });
    expect(unblind({ scores: { m: { left: 1, right: 5 } }, preference: "RIGHT", teacherOnLeft: true })).toEqual({
      scores: { m: { teacher: 1, student: 5 } },
      preferred: "student",
    });
  });
});
