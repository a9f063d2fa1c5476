import { describe, expect, it } from "vitest";
import { itemLatencyTable, latencyResamples, speedup, systemEfficiency } from "./efficiency";
import type { LatencyRow, StudySystemRow } from "./queries";

const system = (id: string, over: Partial<StudySystemRow> = {}): StudySystemRow => ({
  id,
  name: id,
  role: "STUDENT",
  kind: "ONNX_MODEL",
  parameterCount: null,
  sizeOnDiskBytes: null,
  settingsKey: "k",
  ...over,
});
const t = (
  systemId: string,
  itemId: string,
  latencyMs: number | null,
  completionTokens: number | null = null,
): LatencyRow => ({ systemId, itemId, latencyMs, completionTokens });

describe("systemEfficiency", () => {
  it("summarises measured latency and says what was not recorded", () => {
    const timings = [...[10, 20, 30, 40, 100].map((ms, i) => t("s", `i${i}`, ms, 5)), t("e", "i0", null)];
    const [s, e, none] = systemEfficiency(
      [system("s", { parameterCount: 700_000 }), system("e", { kind: "EXTERNAL" }), system("n")],
      timings,
    );
    expect(s.latency).toMatchObject({
      ok: true,
      outputs: 5,
      timedOutputs: 5,
      medianMs: 30,
      meanMs: 40,
      paraphrasesPerSecond: 25,
      tokensPerSecond: (25 / 200) * 1000,
    });
    expect(s.latency.ok && s.latency.p95Ms).toBeCloseTo(88, 9); // linear interpolation between 40 and 100
    expect(s.parameterCount).toEqual({ ok: true, value: 700_000 });
    expect(e.latency).toEqual({
      ok: false,
      reason: "The latency of e is not recorded (outputs imported from elsewhere)",
    });
    expect(e.sizeOnDiskBytes.ok).toBe(false);
    expect(none.latency).toEqual({ ok: false, reason: "no outputs of n for this study's settings" });
  });
});

describe("speedup", () => {
  it("is the ratio of mean latencies over items timed for both, with a bootstrap CI", () => {
    const timings = [
      ...Array.from({ length: 20 }, (_, i) => t("T", `i${i}`, 1000 + 10 * i)),
      ...Array.from({ length: 20 }, (_, i) => t("S", `i${i}`, 20 + (i % 3))),
      t("T", "only-teacher", 99_999),
    ];
    const table = itemLatencyTable(timings);
    const r = speedup({ table, teacherId: "T", studentId: "S", resamples: latencyResamples(table) });
    const teacherMean = 1000 + 10 * 9.5;
    const studentMean = (7 * 20 + 7 * 21 + 6 * 22) / 20;
    expect(r.ok && r.estimate).toBeCloseTo(teacherMean / studentMean, 9);
    expect(r.ok && r.items).toBe(20);
    expect(r.ok && r.lower < r.estimate && r.estimate < r.upper).toBe(true);
  });

  it("gives the reason when a side has no latency", () => {
    const table = itemLatencyTable([t("S", "i0", 10), t("T", "i0", null)]);
    expect(speedup({ table, teacherId: "T", studentId: "S" })).toEqual({
      ok: false,
      reason: "the teacher's latency is not recorded",
    });
  });
});

describe("cost per 1,000 paraphrases", () => {
  const row = (
    itemId: string,
    promptTokens: number | null,
    completionTokens: number | null,
    cpuMs: number | null = null,
  ) => ({
    systemId: "s",
    itemId,
    latencyMs: 10,
    promptTokens,
    completionTokens,
    cpuMs,
  });

  it("prices a hosted system's tokens: a request's prompt once per item, completions summed", () => {
    // Two items, each one request returning 2 paraphrases: prompt 100 tokens stored on both outputs
    const rows = [row("a", 100, 10), row("a", 100, 10), row("b", 100, 20), row("b", 100, 20)];
    const [e] = systemEfficiency([system("s", { kind: "LLM_API", inputPrice: 2, outputPrice: 8 })], rows);
    // (200 prompt x 2 + 60 completion x 8) / 1e6 = 0.00088 for 4 paraphrases -> 0.22 per 1,000
    expect(e.costPer1000).toMatchObject({ ok: true, value: 0.22, outputsPriced: 4 });
    expect(e.costPer1000.ok && e.costPer1000.basis).toBe(
      "recorded tokens of 4 outputs at 2 / 8 per 1M input / output tokens",
    );
    expect(e.cpu).toMatchObject({ ok: false });
  });

  it("says why there is no money figure, and gives a student's CPU seconds per 1,000 paraphrases", () => {
    const [llm, student] = systemEfficiency(
      [system("s", { kind: "LLM_API" }), system("t", { kind: "ONNX_MODEL" })],
      [row("a", 5, 5), { ...row("a", 7, 3, 30), systemId: "t" }, { ...row("b", 7, 3, 50), systemId: "t" }],
    );
    expect(llm.costPer1000).toEqual({ ok: false, reason: "no price per token is set for s (Systems page)" });
    expect(student.costPer1000).toEqual({
      ok: false,
      reason: "no price per CPU-hour for t: set a price per CPU-hour on the Systems page",
    });
    expect(student.cpu).toEqual({ ok: true, meanMs: 40, secondsPer1000: 40, outputs: 2 });
  });

  it("prices an ONNX student's recorded CPU time per CPU-hour", () => {
    const cpuRows = [
      { ...row("a", null, 3, 30), systemId: "t" },
      { ...row("b", null, 3, 50), systemId: "t" },
      { ...row("c", null, 3, null), systemId: "t" }, // generated before CPU time was recorded: not counted
    ];
    const [student] = systemEfficiency([system("t", { kind: "ONNX_MODEL", cpuHourPrice: 0.09 })], cpuRows);
    // Mean 40 ms of CPU per paraphrase -> 40,000 ms = 40 s = 1/90 CPU-hour per 1,000 paraphrases,
    // at 0.09 per CPU-hour: 0.09 / 90 = 0.001 per 1,000 paraphrases.
    expect(student.costPer1000.ok && student.costPer1000.value).toBeCloseTo(0.001, 12);
    expect(student.costPer1000).toMatchObject({
      ok: true,
      outputsPriced: 2,
      basis: "CPU time: 40.0 ms per paraphrase (mean of 2) at 0.09 per CPU-hour",
    });
    // A CPU-hour price wins over token prices; token prices alone keep pricing by tokens.
    const [both] = systemEfficiency(
      [system("t", { kind: "ONNX_MODEL", cpuHourPrice: 0.09, outputPrice: 1000 })],
      cpuRows,
    );
    expect(both.costPer1000.ok && both.costPer1000.value).toBeCloseTo(0.001, 12);
    const [tokensOnly] = systemEfficiency([system("t", { kind: "ONNX_MODEL", outputPrice: 1000 })], cpuRows);
    expect(tokensOnly.costPer1000.ok && tokensOnly.costPer1000.basis).toMatch(/recorded tokens/);
    // Priced but never timed: the reason, not a zero.
    const [untimed] = systemEfficiency(
      [system("t", { kind: "ONNX_MODEL", cpuHourPrice: 0.09 })],
      [{ ...row("a", null, 3, null), systemId: "t" }],
    );
    expect(untimed.costPer1000).toMatchObject({ ok: false, reason: /CPU time of t is not recorded/ });
  });
});
