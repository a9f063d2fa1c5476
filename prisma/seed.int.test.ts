import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { authenticate } from "@/lib/users";
import { DEMO_EVAL_SET, DEMO_PASSWORD, DEMO_USERS, seed } from "./seed";

describe("seed", () => {
  it("creates the first admin, demo users and the demo eval set, and a second run changes nothing", async () => {
    await seed();
    const counts = async () => ({
      users: await prisma.user.count({ where: { email: { in: ["admin@example.com", ...DEMO_USERS.map((u) => u.email)] } } }),
      items: await prisma.evalItem.count({ where: { evalSet: { name: DEMO_EVAL_SET } } }),
    });
    const first = await counts();
    expect(first.users).toBe(4);
    expect(first.items).toBeGreaterThanOrEqual(20);
    const again = await seed();
    expect(again.admin.created).toBe(false);
    expect(again.demoUsersCreated).toBe(0);
    expect(again.demoEvalSetCreated).toBe(false);
    expect(await counts()).toEqual(first);
  });

  it("lets the seeded researcher sign in with the demo password", async () => {
    await seed();
    const actor = await authenticate({ email: "researcher@example.com", password: DEMO_PASSWORD, ipAddress: "seed-test" });
    expect(actor?.role).toBe("RESEARCHER");
  });
});
