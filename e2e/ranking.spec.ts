import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { ADMIN, ANNOTATOR1, RESEARCHER, signIn, signedInPage } from "./fixtures/auth";
import { createAndLaunchStudy, uploadEvalSetWithOutputs } from "./fixtures/annotation-study";

const SOURCES = ["The children cleaned the kitchen after dinner.", "The old farmer sold the farm last year."];

test("a researcher creates a ranking study; an annotator rates and ranks every text of a source on one screen; the results show the ranking", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const tag = `${Date.now()}`;
  const name = `E2E ranking ${tag}`;
  await signIn(page, ADMIN);
  // A teacher and two students per source: three texts on each screen.
  const outputs = await uploadEvalSetWithOutputs(page, tag, SOURCES, (s) => [
    s.replace(/\.$/, ", so to speak."),
    s.replace(/\.$/, ", said the first."),
    s.replace(/\.$/, ", said the second."),
  ]);
  await page.context().clearCookies();
  await signIn(page, RESEARCHER);
  const studyId = await createAndLaunchStudy(page, {
    ...outputs,
    name,
    k: 1,
    participants: [ANNOTATOR1.email],
    design: "RANKING",
  });
  await expect(page.getByTestId("study-design")).toContainText("ranking");
  await expect(page.getByTestId("study-design")).toContainText("fixed now that the study has launched");

  const { ctx, page: a } = await signedInPage(browser, ANNOTATOR1, { viewport: { width: 1366, height: 900 } });
  await a.goto(`/tasks/${studyId}`);
  await a.getByRole("button", { name: /I have read the instructions/ }).click();

  // Screen 1, keyboard only: 4 criteria x 3 texts, then a rank per text, then Enter.
  const form = a.getByRole("form", { name: "Rate and rank these texts" });
  await expect(a.getByRole("status").filter({ hasText: "Item 1 of 2" })).toBeVisible();
  await expect(form.getByRole("heading", { name: /^Text [ABC]$/ })).toHaveText(["Text A", "Text B", "Text C"]);
  // Blind: the page names no system and says nothing of which text is the teacher's.
  const body = await a.locator("main").innerText();
  for (const system of [outputs.teacher, ...outputs.students]) expect(body).not.toContain(system);
  expect(body.toLowerCase()).not.toContain("teacher");
  expect((await new AxeBuilder({ page: a }).analyze()).violations).toEqual([]);
  // Enter with answers missing says so and keeps the screen.
  await a.keyboard.press("Enter");
  await expect(form.getByRole("alert").filter({ hasText: "15 answers missing" })).toBeVisible();
  for (let i = 0; i < 12; i++) await a.keyboard.press(String(1 + (i % 5)));
  for (const rank of ["2", "1", "2"]) await a.keyboard.press(rank);
  await a.screenshot({ path: "test-results/ranking-screen.png", fullPage: true });
  await a.keyboard.press("Enter");

  // Screen 2: scales by keyboard, ranks with the mouse.
  await expect(a.getByRole("status").filter({ hasText: "Item 2 of 2" })).toBeVisible();
  for (let i = 0; i < 12; i++) await a.keyboard.press("4");
  const ranking = form.getByRole("group", { name: /Rank the texts/ });
  for (const [text, rank] of [
    ["Text A", "3"],
    ["Text B", "1"],
    ["Text C", "2"],
  ])
    await ranking
      .getByRole("group", { name: `Rank of ${text}` })
      .getByRole("radio", { name: rank })
      .click();
  await form.getByRole("button", { name: "Submit (Enter)" }).click();
  await expect(a.getByText(/nothing left for you to rate/)).toBeVisible();
  await ctx.close();

  // Two screens x two students = four teacher-vs-student ratings, and a Ranking section.
  await page.reload();
  await expect(page.getByTestId("study-counts")).toContainText("4 ratings · 4 of 4 pairs complete");
  // The Ranking section is stored with the results: a view made while the worker's refresh is
  // still due shows the stored result ("being updated"), so reload until the refresh has run.
  const section = page.getByRole("region", { name: "Ranking", exact: true });
  await expect(async () => {
    await page.goto(`/studies/${studyId}/results`);
    await expect(section).toContainText("From 2 ranking screens on 2 sources", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  const table = section.getByTestId("ranking-table");
  await expect(table.getByRole("row")).toHaveCount(4);
  await expect(table.getByRole("rowheader", { name: `${outputs.teacher} (teacher)` })).toBeVisible();
  await page.screenshot({ path: "test-results/ranking-results.png", fullPage: true });

  // The printable report carries the same Ranking section, from the same stored result.
  await page.goto(`/studies/${studyId}/results/report`);
  const reported = page.getByRole("region", { name: "Ranking", exact: true });
  await expect(reported).toContainText("From 2 ranking screens on 2 sources");
  await expect(reported.getByTestId("ranking-table").getByRole("row")).toHaveCount(4);
  await page.screenshot({ path: "test-results/ranking-report.png", fullPage: true });
});
