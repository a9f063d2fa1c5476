import { describe, expect, it } from "vitest";
import { secretFromEnv } from "@/lib/env";
import { CreateTeacherSystemInput } from "./schemas";

const base = { name: "t", baseUrl: "https://api.example.com/v1", modelName: "m" };

describe("which environment variable a system may name for its key", () => {
  it.each(["DATABASE_URL", "NEXTAUTH_SECRET", "ADMIN_PASSWORD", "PATH", "LLM_KEY_"])("refuses %s", (apiKeyEnv) => {
    const r = CreateTeacherSystemInput.safeParse({ ...base, apiKeyEnv });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toMatch(/LLM_KEY_/);
  });

  it.each(["TEACHER_API_KEY", "JUDGE_API_KEY", "LLM_KEY_OPENAI"])("accepts %s", (apiKeyEnv) => {
    expect(CreateTeacherSystemInput.parse({ ...base, apiKeyEnv }).apiKeyEnv).toBe(apiKeyEnv);
  });

  it("never reads another variable, even from a row stored before the rule", () => {
    process.env.LLM_KEY_UNIT = "k-1";
    expect(secretFromEnv("LLM_KEY_UNIT")).toBe("k-1");
    expect(process.env.PATH).toBeTruthy();
    expect(secretFromEnv("PATH")).toBe("");
  });

  it("refuses a base URL carrying credentials", () => {
    for (const baseUrl of ["https://u:p@api.example.com/v1", "https://api.example.com/v1?api-key=abc"])
      expect(CreateTeacherSystemInput.safeParse({ ...base, baseUrl }).success).toBe(false);
  });
});
