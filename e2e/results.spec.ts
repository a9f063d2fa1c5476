import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import Papa from "papaparse";
import { RESEARCHER, signIn } from "./fixtures/auth";

let study: { studyId: string; name: string; own: boolean };

test.beforeAll(() => {
  // The demo study when it has ratings, else a study of our own with simulated ratings.
  const out = execFileSync("npx", ["--no-install", "tsx", "e2e/fixtures/results-study.ts"], { encoding: "utf8" });
  study = JSON.parse(out.trim().split("\n").pop()!);
});

test("a researcher sees the results with their tables, downloads the CSV, and the page passes axe", async ({
  page,
}) => {
  await signIn(page, RESEARCHER);
  await page.goto(`/studies/${study.studyId}/results`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Results: ${study.name}`);
  // Served from the stored results, with what they are as of.
  await expect(page.getByTestId("results-as-of")).toContainText(/^Results as of \d\d:\d\d UTC, [\d,]+ ratings\./);
  // Measured where the data allow it, else the reason (the demo teacher has no recorded size or latency).
  // Plain sentences: the verdict at the margin first, then size and speed (or why each is unknown).
  await expect(page.getByTestId("headline").first()).toContainText(
    /(times faster per paraphrase|Speed unknown: [^(]+\.)/,
  );
  await expect(page.getByTestId("headline").first()).toContainText(
    /(is non-inferior to|is worse than .* by more than the|is not settled|is not known yet|with no interval)/,
  );
  await expect(page.getByTestId("headline").first()).not.toContainText(/\([^)]*\(/);
  await expect(page.getByRole("table", { name: /^Relative score, one-sided bounds, verdict/ })).toBeVisible();

  for (const caption of [
    /^Mean ratings/,
    /^Paired comparison/,
    /^Win, tie and loss shares/,
    /^Bradley–Terry log-strengths/,
    /^Krippendorff's alpha per criterion/,
    /^Preferences for the left and the right/,
    /^Size and speed per system/,
    /^Per annotator/,
    /^Automatic metrics per system/,
    /^Spearman correlation/,
  ]) {
    await expect(page.getByRole("table", { name: caption }).first()).toBeVisible();
  }
  const means = page.getByRole("table", { name: /^Mean ratings/ });
  await expect(means.getByRole("rowheader", { name: "Meaning preservation" })).toBeVisible();
  await expect(means.getByRole("cell").first()).toHaveText(/^\d\.\d\d \[\d\.\d\d, \d\.\d\d\]/);
  // Charts are images with a text alternative that points at their table.
  await expect(page.getByRole("img", { name: /mean rating per criterion and system/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /Forest plot of Bradley–Terry/ }).first()).toBeVisible();
  // Semantic similarity from the offline encoder: a figure with its interval once the worker has embedded the
  // demo set (the seed queues it), "computing: ..." until then; never "unavailable".
  const similarity = page
    .getByRole("table", { name: /^Automatic metrics/ })
    .getByRole("row", { name: /Semantic similarity to source/ });
  await expect(similarity).toContainText(/computing: \d+ of \d+ texts|\d\.\d\d \[-?\d\.\d\d, \d\.\d\d\]/);
  await expect(similarity).not.toContainText("unavailable");

  const isSimulated = await page.getByTestId("simulated-banner").isVisible();
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download ratings (CSV)" }).click();
  const file = await (await download).path();
  const csv = readFileSync(file, "utf8");
  const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });
  expect(parsed.data.length).toBeGreaterThan(10);
  expect(parsed.meta.fields).toEqual(
    expect.arrayContaining([
      "annotator",
      "item_external_id",
      "source",
      "left_system",
      "right_system",
      "teacher_side",
      "left_text",
      "right_text",
      "meaning_left",
      "preference",
      "instructions_version",
      "active_ms",
      "revision",
      "is_simulated",
    ]),
  );
  expect(csv).not.toMatch(/@example\.(com|invalid)/);
  for (const row of parsed.data) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  if (isSimulated) expect(parsed.data.some((r) => r.dataset === "SIMULATED" && r.is_simulated === "true")).toBe(true);
  if (study.own) expect(parsed.data.some((r) => r.source === "'=SUM(1,2) is what the sheet shows.")).toBe(true);

  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
});

test("the printable report and the z-score switch", async ({ page }) => {
  await signIn(page, RESEARCHER);
  await page.goto(`/studies/${study.studyId}/results`);
  await page.getByRole("link", { name: "use raw ratings" }).click();
  await expect(page).toHaveURL(/scale=raw/);
  await expect(page.getByText("Tests on: raw ratings")).toBeVisible();
  await page.getByRole("link", { name: "Printable report" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Results report");
  await expect(page.getByTestId("results-as-of")).toContainText(/^Results as of \d\d:\d\d UTC/);
  await expect(page.getByRole("table", { name: /^Paired comparison/ })).toBeVisible();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
});
