import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { makeRatedStudy, type RatedStudy } from "@/prisma/testing/results-fixture";
import { setSystemPrice } from "@/lib/systems";
import { deleteUsers, makeUser } from "@/prisma/testing/factories";
import { getPaperTable, viewStudyResults } from "./index";

let made: RatedStudy[] = [];
afterEach(async () => {
  for (const s of made) {
    await prisma.job.deleteMany({ where: { payload: { path: ["evalSetId"], equals: s.fixture.evalSetId } } });
    await prisma.job.deleteMany({ where: { payload: { path: ["studyId"], equals: s.studyId } } });
    await s.remove();
  }
  made = [];
});

describe("getPaperTable", () => {
  it("gives one row per system with size, speed, WPD, LD and the human score with its interval, as CSV, LaTeX and JSON", async () => {
    const s = await makeRatedStudy({ items: 6 });
    made.push(s);
    await s.rate({ isSimulated: false, teacherScore: 5, studentScore: 3 });
    // The teacher's calls: 30 prompt tokens each (stored on both outputs of a call), 12 completion tokens per output.
    await prisma.output.updateMany({ where: { systemId: s.fixture.teacher.id }, data: { promptTokens: 30 } });
    const admin = await makeUser("ADMIN");
    try {
      await expect(
        setSystemPrice(s.fixture.researcher, {
          systemId: s.fixture.teacher.id,
          inputPricePerMTokens: 1,
          outputPricePerMTokens: 2,
        }),
      ).rejects.toBeInstanceOf(ForbiddenError);
      await expect(
        setSystemPrice(admin, { systemId: s.fixture.teacher.id, inputPricePerMTokens: -1, outputPricePerMTokens: 2 }),
      ).rejects.toThrow(/cannot be negative/);
      await setSystemPrice(admin, {
        systemId: s.fixture.teacher.id,
        inputPricePerMTokens: 1,
        outputPricePerMTokens: 2,
      });
    } finally {
      await deleteUsers(admin.id);
    }
    const json = JSON.parse((await getPaperTable(s.fixture.researcher, { studyId: s.studyId, format: "json" })).body);
    expect(json.rows.map((r: { role: string }) => r.role)).toEqual(["TEACHER", "STUDENT"]);
    const student = json.rows[1];
    expect(student.parameters.value).toBe(700_000);
    expect(student.medianLatencyMs.value).toBe(10);
    expect(student.metrics.wordPositionDeviation.value).not.toBeNull();
    expect(student.metrics.lexicalDeviation.value).not.toBeNull();
    expect(student.human.meaning.value).toBe(3);
    expect(student.costPer1000.reason).toMatch(/no price/);
    // 6 items x (30 prompt tokens once + 2 x 12 completion tokens) over 12 outputs, at 1 and 2 per million:
    // (180 x 1 + 144 x 2) / 1e6 / 12 x 1000 = 0.039 per 1,000 paraphrases.
    expect(json.rows[0].costPer1000.value).toBeCloseTo(0.039, 9);

    const csv = (await getPaperTable(s.fixture.researcher, { studyId: s.studyId })).body;
    expect(csv.split("\r\n")[0]).toBe(
      "dataset,System,Params,Ratio,Latency (ms),Para/s,Cost / 1k,Sem. sim.,TED,WPD,LD," +
        json.criteria.map((c: { label: string }) => c.label).join(","),
    );
    expect(csv.split("\r\n")).toHaveLength(4); // header, two systems, final newline
    const tex = (await getPaperTable(s.fixture.researcher, { studyId: s.studyId, format: "latex" })).body;
    expect(tex).toContain("\\begin{tabular}{l");
    expect(tex).toContain("\\toprule");
    expect(tex).toMatch(/700,000 & -- & 10\.0 & 100\.0 &/); // student: params, ratio unknown (teacher size unknown), latency, throughput
    expect(tex).not.toMatch(/(^|[^\\])_/m); // underscores in names are escaped
    await expect(getPaperTable(s.fixture.annotators[0], { studyId: s.studyId })).rejects.toBeInstanceOf(ForbiddenError);
    // Another researcher's study is not theirs to export (study ownership, issue 14).
    const stranger = await makeUser("RESEARCHER");
    try {
      await expect(getPaperTable(stranger, { studyId: s.studyId })).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      await deleteUsers(stranger.id);
    }
  }, 60_000);

  it("prices an ONNX student's CPU time per CPU-hour, and a price change makes stored results out of date", async () => {
    const s = await makeRatedStudy({ items: 4 });
    made.push(s);
    await s.rate({ isSimulated: false, teacherScore: 5, studentScore: 3 });
    const student = s.fixture.students[0];
    await prisma.system.update({ where: { id: student.id }, data: { kind: "ONNX_MODEL" } });
    // Two paraphrases per item: 30 and 50 ms of CPU each -> mean 40 ms.
    const outs = await prisma.output.findMany({ where: { systemId: student.id }, select: { id: true, rank: true } });
    for (const o of outs) await prisma.output.update({ where: { id: o.id }, data: { cpuMs: o.rank === 0 ? 30 : 50 } });

    const before = await viewStudyResults(s.fixture.researcher, { studyId: s.studyId }); // computed and stored
    expect(before.results.efficiency[1].costPer1000).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/set a price per CPU-hour on the Systems page/),
    });
    const admin = await makeUser("ADMIN");
    try {
      await setSystemPrice(admin, {
        systemId: student.id,
        inputPricePerMTokens: "",
        outputPricePerMTokens: "",
        pricePerCpuHour: "0.09",
      });
    } finally {
      await deleteUsers(admin.id);
    }
    // No new rating: only the price changed, and the stored result says it is being refreshed.
    const after = await viewStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(after.asOf.isUpdating).toBe(true);

    // 40 ms x 1,000 = 40 CPU-seconds = 1/90 CPU-hour, at 0.09 per CPU-hour: 0.001 per 1,000 paraphrases.
    const json = JSON.parse((await getPaperTable(s.fixture.researcher, { studyId: s.studyId, format: "json" })).body);
    expect(json.rows[1].costPer1000.value).toBeCloseTo(0.001, 12);
    expect(json.rows[1].costPer1000.basis).toMatch(/^CPU time: 40\.0 ms per paraphrase .* at 0\.09 per CPU-hour$/);
    const csv = (await getPaperTable(s.fixture.researcher, { studyId: s.studyId })).body;
    expect(csv.split("\r\n")[2]).toMatch(/,0\.0010,/); // two significant digits, not 0.00
  }, 60_000);
});
