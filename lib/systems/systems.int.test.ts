import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/auth/permissions";
import { deleteUsers, makeUser, uniq } from "@/prisma/testing/factories";
import { createTeacherSystem, listSystems, updateTeacherSystem } from "./index";

let admin: Actor;
const names: string[] = [];
beforeAll(async () => {
  admin = await makeUser("ADMIN");
  process.env.LLM_KEY_SYSTEMS_TEST = "sk-very-secret-value";
});
afterAll(async () => {
  await prisma.system.deleteMany({ where: { name: { in: names } } });
  await deleteUsers(admin.id);
});

describe("teacher systems", () => {
  it("stores the endpoint and the key's variable name, never the key, and reports whether it is set", async () => {
    const name = uniq("gpt");
    names.push(name);
    const s = await createTeacherSystem(admin, {
      name,
      baseUrl: "http://127.0.0.1:9/v1",
      modelName: "gpt-3.5-turbo",
      apiKeyEnv: "LLM_KEY_SYSTEMS_TEST",
    });
    expect(s.hasApiKey).toBe(true);
    expect(JSON.stringify(await listSystems(admin))).not.toContain("sk-very-secret-value");
    const row = await prisma.system.findUniqueOrThrow({ where: { id: s.id } });
    expect(JSON.stringify(row, (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain(
      "sk-very-secret-value",
    );
  });

  it("edits the prompt template, N and temperature, refusing a template without the sentence", async () => {
    const name = uniq("gpt");
    names.push(name);
    const s = await createTeacherSystem(admin, { name, baseUrl: "http://127.0.0.1:9/v1", modelName: "m" });
    await expect(
      updateTeacherSystem(admin, {
        id: s.id,
        baseUrl: "http://127.0.0.1:9/v1",
        modelName: "m",
        promptTemplate: "Paraphrase {{n}} times.",
      }),
    ).rejects.toThrow(/sentence/);
    const u = await updateTeacherSystem(admin, {
      id: s.id,
      baseUrl: "http://127.0.0.1:9/v1",
      modelName: "m2",
      promptTemplate: "Give {{n}} paraphrases of: {{sentence}}",
      n: 3,
      temperature: 0.7,
    });
    expect(u).toMatchObject({
      modelName: "m2",
      promptTemplate: "Give {{n}} paraphrases of: {{sentence}}",
      defaultSettings: { n: 3, temperature: 0.7 },
    });
  });

  it("refuses a second system with the same name", async () => {
    const name = uniq("gpt");
    names.push(name);
    await createTeacherSystem(admin, { name, baseUrl: "http://127.0.0.1:9/v1", modelName: "m" });
    await expect(
      createTeacherSystem(admin, { name, baseUrl: "http://127.0.0.1:9/v1", modelName: "m" }),
    ).rejects.toThrow(/already exists/);
  });
});
