import { afterEach, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db";
import { makeRatedStudy, type RatedStudy } from "@/prisma/testing/results-fixture";
import { getStudyResults } from "./index";

// The item draws the results load makes while the ratings load are an optimisation: the
// statistics must be the same with them as without. prepareItemDraws is wrapped so a test can
// see what it prepared, and withhold it.
const { prepared } = vi.hoisted(() => ({ prepared: [] as ({ maxUnits: number } | null)[] }));
vi.mock("@/lib/stats", async (importOriginal) => {
  const stats = await importOriginal<typeof import("@/lib/stats")>();
  return {
    ...stats,
    prepareItemDraws: vi.fn((...args: Parameters<typeof stats.prepareItemDraws>) => {
      const draws = stats.prepareItemDraws(...args);
      prepared.push(draws);
      return draws;
    }),
  };
});
const { prepareItemDraws } = await import("@/lib/stats");

let made: RatedStudy[] = [];
afterEach(async () => {
  for (const s of made) await s.remove();
  made = [];
  prepared.length = 0;
});

/** 20 items rated by 3 annotators; fluency varies by rating, so agreement's interval rests on the item draws. */
async function ratedStudy() {
  const s = await makeRatedStudy({ items: 20, annotators: 3 });
  made.push(s);
  await s.rate({ isSimulated: false, annotators: 3, studentScoreOf: (p) => 1 + (p % 5) });
  await prisma.$executeRaw`
    UPDATE "Rating" SET "scores" = jsonb_set("scores", '{fluency,left}', to_jsonb(1 + (hashtext("id"::text) & 3)))
    WHERE "studyId" = ${s.studyId}::uuid`;
  return s;
}

async function withAndWithoutPreparedDraws(s: RatedStudy) {
  const withDraws = await getStudyResults(s.fixture.researcher, { studyId: s.studyId });
  const used = prepared.at(-1);
  vi.mocked(prepareItemDraws).mockReturnValueOnce(null);
  const withoutDraws = await getStudyResults(s.fixture.researcher, { studyId: s.studyId });
  return { withDraws, withoutDraws, used };
}

describe("the statistics' item draws made while the ratings load", () => {
  it("serve the computation and give the statistics it gives without them, all items rated or some", async () => {
    const s = await ratedStudy();
    const all = await withAndWithoutPreparedDraws(s);
    // Mapped in place by the computation: used, so spent.
    expect(all.used).toEqual(expect.objectContaining({ maxUnits: 0 }));
    expect(all.withDraws.statistics).toEqual(all.withoutDraws.statistics);
    const fluency = all.withDraws.statistics.agreement.ratings.find((a) => a.criterion === "fluency")!.result;
    expect(fluency.ok && fluency.ci !== null && fluency.ci.lower < fluency.ci.upper).toBe(true);

    // One item's ratings gone: fewer rated items than the draws were made for.
    const pairs = await prisma.pair.findMany({
      where: { studyId: s.studyId, kind: "REGULAR" },
      orderBy: { id: "asc" },
    });
    const dropped = pairs.filter((p) => p.itemId === pairs[0].itemId).map((p) => p.id);
    await prisma.rating.deleteMany({ where: { pairId: { in: dropped } } });
    const some = await withAndWithoutPreparedDraws(s);
    expect(some.withDraws.statistics.meta.counts.items).toBe(all.withDraws.statistics.meta.counts.items - 1);
    expect(some.used).toEqual(expect.objectContaining({ maxUnits: 0 }));
    expect(some.withDraws.statistics).toEqual(some.withoutDraws.statistics);
  });

  it("serve the side-by-side computation without flagged annotators too, with the same figures", async () => {
    const s = await ratedStudy();
    // A too-fast annotator is flagged: the statistics run again without them, on the same items.
    const fast = s.fixture.annotators[0];
    await prisma.rating.updateMany({ where: { studyId: s.studyId, annotatorId: fast.id }, data: { activeMs: 300 } });
    const { withDraws, withoutDraws, used } = await withAndWithoutPreparedDraws(s);
    expect(withDraws.withoutFlagged?.statistics.meta.counts.annotators).toBe(2);
    expect(used).toEqual(expect.objectContaining({ maxUnits: 0, mapped: expect.anything() }));
    expect(withDraws.withoutFlagged).toEqual(withoutDraws.withoutFlagged);
    expect(withDraws.statistics).toEqual(withoutDraws.statistics);
  });
});
