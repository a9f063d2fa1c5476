import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { EMBED_JOB } from "@/lib/embeddings";
import { getStudyMonitor, listStudies } from "@/lib/studies";
import { authenticate } from "@/lib/users";
import { DEMO_EVAL_SET, DEMO_PASSWORD, DEMO_USERS, seed } from "./seed";

describe("seed", () => {
  it("creates the first admin, demo users and the demo eval set, and a second run changes nothing", async () => {
    await seed();
    const counts = async () => ({
      users: await prisma.user.count({
        where: { email: { in: ["admin@example.com", ...DEMO_USERS.map((u) => u.email)] } },
      }),
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

  it("leaves a live demo study with the demo annotators, and simulated ratings kept apart", async () => {
    const report = await seed();
    expect(report.demoStudy?.id).toBeTruthy();
    const study = await prisma.study.findUniqueOrThrow({
      where: { id: report.demoStudy!.id! },
      select: {
        status: true,
        participants: { select: { user: { select: { email: true } } } },
        _count: { select: { pairs: true } },
      },
    });
    expect(study.status).toBe("LIVE");
    expect(study.participants.map((p) => p.user.email).sort()).toEqual(
      expect.arrayContaining(["annotator1@example.com", "annotator2@example.com"]),
    );
    expect(study._count.pairs).toBeGreaterThanOrEqual(20);
    const simulated = await prisma.rating.findMany({
      where: { studyId: report.demoStudy!.id! },
      select: { isSimulated: true, annotator: { select: { isActive: true } } },
    });
    expect(simulated.length).toBeGreaterThan(0);
    expect(simulated.every((r) => r.isSimulated && !r.annotator.isActive)).toBe(true);

    // The monitor counts people's ratings; the simulated ones are named apart and complete no pair
    // (before, the fresh demo read "141 ratings · 47 of 47 pairs complete (k = 2)" with no one having rated).
    const admin = await prisma.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    const actor = { id: admin.id, role: "ADMIN" as const, email: admin.email, name: admin.name };
    const monitor = await getStudyMonitor(actor, { studyId: report.demoStudy!.id! });
    const real = await prisma.rating.count({ where: { studyId: report.demoStudy!.id!, isSimulated: false } });
    expect(monitor.simulatedRatings).toBe(simulated.length);
    expect(monitor.ratings).toBe(real);
    expect(monitor.completePairs).toBeLessThanOrEqual(Math.floor(real / 2));
    const listed = (await listStudies(actor)).find((s) => s.id === report.demoStudy!.id!)!;
    expect(listed).toMatchObject({ ratingCount: real, simulatedRatingCount: simulated.length });
  });

  it("queues the demo set's embeddings once, so semantic similarity is ready when the demo is opened", async () => {
    await seed();
    await seed();
    const set = await prisma.evalSet.findUniqueOrThrow({ where: { name: DEMO_EVAL_SET }, select: { id: true } });
    const jobs = await prisma.job.findMany({
      where: {
        type: EMBED_JOB,
        status: { in: ["QUEUED", "RUNNING"] },
        payload: { path: ["evalSetId"], equals: set.id },
      },
      select: { id: true },
    });
    expect(jobs).toHaveLength(1);
  });

  it("lets the seeded researcher sign in with the demo password", async () => {
    await seed();
    const actor = await authenticate({
      email: "researcher@example.com",
      password: DEMO_PASSWORD,
      ipAddress: "seed-test",
    });
    expect(actor?.role).toBe("RESEARCHER");
  });
});
