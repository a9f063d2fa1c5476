import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { ADMIN, ANNOTATOR1, ANNOTATOR2, RESEARCHER, signIn } from "./fixtures/auth";
import { createAndLaunchStudy, rateAllWithKeyboard, uploadEvalSetWithOutputs } from "./fixtures/annotation-study";

const SOURCES = ["The children cleaned the kitchen after dinner.", "The old farmer sold the farm last year.", "The manager signed the contract on Monday."];

test("a researcher launches a study, two annotators rate every item with the keyboard, and the researcher sees the counts", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const tag = `${Date.now()}`;
  await signIn(page, ADMIN);
  const { evalSet, teacher, student } = await uploadEvalSetWithOutputs(page, tag, SOURCES);
  await page.context().clearCookies();

  await signIn(page, RESEARCHER);
  const name = `E2E study ${tag}`;
  const studyId = await createAndLaunchStudy(page, { name, evalSet, teacher, student, k: 2, participants: [ANNOTATOR1.email, ANNOTATOR2.email] });
  await expect(page.getByTestId("study-counts")).toContainText("0 ratings · 0 of 3 pairs complete");

  // Once live, the design that pairs were built with is locked, with a reason.
  await expect(page.getByRole("form", { name: "Study settings" }).getByLabel("Annotators per pair (k)")).toBeDisabled();
  await expect(page.getByText(/locked once the study has launched/)).toBeVisible();

  for (const who of [ANNOTATOR1, ANNOTATOR2]) {
    const ctx = await browser.newContext({ viewport: who === ANNOTATOR2 ? { width: 820, height: 1180 } : { width: 1366, height: 800 } }); // laptop and tablet
    const a = await ctx.newPage();
    await signIn(a, who);
    await a.getByRole("link", { name }).click();
    await expect(a.getByRole("heading", { name: "Before you start: the instructions" })).toBeVisible();
    await expect(a.getByText("Meaning preservation: does it say the same thing?")).toBeVisible();
    expect((await new AxeBuilder({ page: a }).analyze()).violations).toEqual([]);
    const start = a.getByRole("button", { name: /I have read the instructions/ });
    await start.focus();
    await a.keyboard.press("Enter");

    await rateAllWithKeyboard(a, {
      criteria: 4,
      total: 3,
      onItem: async (n) => {
        if (n !== 1) return;
        expect((await new AxeBuilder({ page: a }).analyze()).violations).toEqual([]);
        // "?" opens the instructions; Escape closes them and rating carries on.
        await a.keyboard.press("?");
        await expect(a.getByRole("dialog", { name: "Instructions" })).toBeVisible();
        await a.keyboard.press("Escape");
        await expect(a.getByRole("dialog")).toHaveCount(0);
        await a.getByRole("radio").first().focus();
      },
    });
    // Revising the last answer makes a second revision of the same rating, not a new one.
    await a.getByRole("button", { name: "Revise my previous answer" }).click();
    await expect(a.getByRole("status").filter({ hasText: "Revising your earlier answer (revision 2)" })).toBeVisible();
    await a.keyboard.press("t");
    await a.keyboard.press("Enter");
    await expect(a.getByText("Revision 2 saved.")).toBeVisible();
    await ctx.close();
  }

  await page.reload();
  await expect(page.getByTestId("study-counts")).toContainText("6 ratings · 3 of 3 pairs complete");
  for (const row of await page.locator("[data-testid^=annotator-]").all()) await expect(row.getByTestId("done")).toHaveText("3");
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
  await page.goto(`/studies/${studyId}/preview`);
  await expect(page.getByRole("form", { name: "Rate this item" })).toBeVisible();
});
