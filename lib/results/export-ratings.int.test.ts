import Papa from "papaparse";
import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { exportRatings, exportStudyResults } from "./index";
import { makeRatedStudy, rateGold, type RatedStudy } from "@/prisma/testing/results-fixture";

let made: RatedStudy[] = [];
afterEach(async () => {
  for (const s of made) await s.remove();
  made = [];
});

async function text(stream: ReadableStream<Uint8Array>) {
  return new Response(stream).text();
}

describe("exportRatings", () => {
  it("exports every rating as CSV with full provenance, pseudonyms only and formulas neutralised", async () => {
    const s = await makeRatedStudy({ items: 6, annotators: 2 });
    made.push(s);
    const evil = '=HYPERLINK("http://evil.test","x")';
    const item = await prisma.pair.findUniqueOrThrow({
      where: { id: s.pairIds[0] },
      select: { itemId: true, teacherOutputId: true },
    });
    await prisma.evalItem.update({ where: { id: item.itemId }, data: { source: evil } });
    await prisma.output.update({ where: { id: item.teacherOutputId }, data: { text: "-2 apples, @home" } });
    await s.rate({ isSimulated: false });
    await rateGold(s, 0, 1);
    const file = await exportRatings(s.fixture.researcher, { studyId: s.studyId, format: "csv" });
    expect(file.filename).toMatch(/-ratings\.csv$/);
    const csv = await text(file.body);
    const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });
    expect(parsed.data).toHaveLength(13);
    expect(parsed.meta.fields).toEqual(
      expect.arrayContaining([
        "dataset",
        "annotator",
        "item_external_id",
        "source",
        "left_system",
        "right_system",
        "teacher_side",
        "left_text",
        "right_text",
        "meaning_left",
        "meaning_right",
        "preference",
        "instructions_version",
        "active_ms",
        "created_at",
        "updated_at",
        "revision",
        "is_simulated",
      ]),
    );
    const first = parsed.data.find((r) => r.source.includes("HYPERLINK"))!;
    expect(first.source).toBe(`'${evil}`);
    expect([first.left_text, first.right_text]).toContain("'-2 apples, @home");
    // Sides as shown: the teacher's system name sits on the side named by teacher_side.
    for (const r of parsed.data) {
      const teacherSystem = r.teacher_side === "left" ? r.left_system : r.right_system;
      expect(teacherSystem).toBe(s.fixture.teacher.name);
      expect(r.is_simulated).toBe("false");
      expect(r.dataset).toBe("REAL");
      expect(r.instructions_version).toBe("1");
    }
    const gold = parsed.data.find((r) => r.pair_kind === "GOLD")!;
    expect(gold.right_text).toContain("Source sentence number 0"); // the verbatim copy shown in the student's place
    // The copy's side is labelled as a check, never as the student's output.
    const goldSide = gold.teacher_side === "left" ? gold.right_system : gold.left_system;
    expect(goldSide).toBe("GOLD CHECK (copy of the source, not a system output)");
    expect(goldSide).not.toContain(s.fixture.students[0].name);
    expect(gold.is_check).toBe("true");
    expect(parsed.data.filter((r) => r.pair_kind === "REGULAR").every((r) => r.is_check === "false")).toBe(true);
    for (const a of s.fixture.annotators) {
      expect(csv).not.toContain(a.email);
      expect(csv).not.toContain(a.name);
      expect(csv).toContain(a.email.split("@")[0]); // factories use the email's local part as pseudonym
    }
  });

  it("streams JSON Lines, one rating per line, marked SIMULATED when they are", async () => {
    const s = await makeRatedStudy({ items: 5, annotators: 1 });
    made.push(s);
    await s.rate({ isSimulated: true });
    const file = await exportRatings(s.fixture.researcher, { studyId: s.studyId, format: "jsonl" });
    expect(file.filename).toMatch(/-ratings-SIMULATED\.jsonl$/);
    const lines = (await text(file.body))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(5);
    for (const l of lines) {
      expect(l).toMatchObject({ dataset: "SIMULATED", isSimulated: true, revision: 1, instructionsVersion: 1 });
      expect(l.scores.meaning).toEqual(l.teacherSide === "left" ? { left: 5, right: 4 } : { left: 4, right: 5 });
      expect(typeof l.leftText).toBe("string");
      expect(l.annotator).not.toContain("@");
    }
  });

  it("streams page after page without losing or repeating a rating at the page boundaries", async () => {
    const s = await makeRatedStudy({ items: 7, annotators: 2 });
    made.push(s);
    await s.rate({ isSimulated: false });
    const ids = (await prisma.rating.findMany({ where: { studyId: s.studyId }, select: { id: true } }))
      .map((r) => r.id)
      .sort();
    for (const pageSize of [1, 5, 14, 15]) {
      const file = await exportRatings(s.fixture.researcher, { studyId: s.studyId, format: "jsonl", pageSize });
      const got = (await text(file.body))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).ratingId);
      expect(got, `page size ${pageSize}`).toEqual(ids);
    }
  });

  it("exports the computed results as JSON, labelled with its dataset", async () => {
    const s = await makeRatedStudy({ items: 6, annotators: 2 });
    made.push(s);
    await s.rate({ isSimulated: true });
    const { filename, document } = await exportStudyResults(s.fixture.researcher, { studyId: s.studyId });
    expect(filename).toMatch(/-results-SIMULATED\.json$/);
    expect(document.dataset).toBe("SIMULATED");
    // 6 items by 2 annotators: marked preliminary, with what is missing.
    expect(document.preliminary.isPreliminary).toBe(true);
    expect(document.preliminary.missing).toContain("6 of the 30 rated items needed");
    expect(document.results.statistics.comparisons.length).toBeGreaterThan(0);
    expect(document.metrics.systems).toHaveLength(2);
    expect(JSON.stringify(document)).not.toContain(s.fixture.annotators[0].email);
  });

  it("refuses annotators and answers NotFound for an unknown study", async () => {
    const s = await makeRatedStudy({ items: 2, annotators: 1 });
    made.push(s);
    await expect(exportRatings(s.fixture.annotators[0], { studyId: s.studyId })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      exportRatings(s.fixture.researcher, { studyId: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
