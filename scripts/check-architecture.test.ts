import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain ES module script without types
import { checkArchitecture, ROOT } from "./check-architecture.mjs";

/** Runs the check over an invented tree: path -> source. */
function check(tree: Record<string, string>): string[] {
  const abs = new Set(Object.keys(tree).map((f) => path.join(ROOT, f)));
  return checkArchitecture(Object.keys(tree), {
    readText: (rel: string) => tree[rel],
    isFile: (p: string) => abs.has(p),
  });
}

const base = {
  "lib/db.ts": "export const prisma = 1;",
  "lib/stats/index.ts": 'export * from "./mean";',
  "lib/stats/mean.ts": "export const mean = 1;",
  "lib/results/index.ts": 'export * from "./get-results";',
  "lib/results/get-results.ts": 'import { mean } from "@/lib/stats"; import { prisma } from "@/lib/db";',
  "lib/results/schemas.ts": "export const S = 1;",
  "lib/studies/index.ts": 'export * from "./get-study";',
  "lib/studies/get-study.ts": 'import { S } from "@/lib/results/schemas"; import { x } from "@/lib/results";',
  "app/page.tsx": 'import { x } from "@/lib/results";',
};

describe("architecture check", () => {
  it("accepts imports that go down through entry files and schemas", () => {
    expect(check(base)).toEqual([]);
  });

  it("refuses an import past another domain's entry file, aliased or relative", () => {
    expect(check({ ...base, "app/page.tsx": 'import { x } from "@/lib/results/get-results";' })).toEqual([
      expect.stringContaining("app/page.tsx: reaches past lib/results's entry file to lib/results/get-results.ts"),
    ]);
    expect(check({ ...base, "lib/studies/get-study.ts": 'import { x } from "../results/get-results";' })).toEqual([
      expect.stringContaining("reaches past lib/results's entry file"),
    ]);
  });

  it("refuses a leaf or the ground floor importing upward", () => {
    const problems = check({
      ...base,
      "lib/stats/mean.ts": 'import { x } from "@/lib/results"; export const mean = 1;',
    });
    expect(problems).toContainEqual(expect.stringContaining("leaf lib/stats imports domain lib/results"));
    expect(check({ ...base, "lib/db.ts": 'import { mean } from "@/lib/stats";' })).toContainEqual(
      expect.stringContaining("ground lib/db.ts imports leaf lib/stats"),
    );
  });

  it("finds a cycle between two domains and names the imports that make it", () => {
    const problems = check({ ...base, "lib/results/get-results.ts": 'import { s } from "@/lib/studies";' });
    expect(problems).toEqual([
      expect.stringMatching(/import cycle between lib\/(results|studies) -> lib\/(studies|results) -> lib\/\1/),
    ]);
    expect(problems[0]).toContain("lib/results/get-results.ts -> @/lib/studies");
    expect(problems[0]).toContain("lib/studies/get-study.ts -> @/lib/results");
  });

  it("keeps test support out of product code but lets tests use it", () => {
    const tree = { ...base, "lib/stats/testing/fixture.ts": "export const f = 1;" };
    expect(check({ ...tree, "lib/stats/mean.test.ts": 'import { f } from "./testing/fixture";' })).toEqual([]);
    expect(check({ ...tree, "lib/stats/mean.ts": 'import { f } from "./testing/fixture";' })).toEqual([
      expect.stringContaining("imports test support lib/stats/testing/fixture.ts"),
    ]);
  });
});
