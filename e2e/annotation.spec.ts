import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { ANNOTATOR1, ANNOTATOR2, signIn, signedInPage } from "./fixtures/auth";
import { launchStudyFromSources, rateAllWithKeyboard } from "./fixtures/annotation-study";

const SOURCES = [
  "The children cleaned the kitchen after dinner.",
  "The old farmer sold the farm last year.",
  "The manager signed the contract on Monday.",
];

test("a researcher launches a study, two annotators rate every item with the keyboard, and the researcher sees the counts", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const tag = `${Date.now()}`;
  const name = `E2E study ${tag}`;
  const { studyId } = await launchStudyFromSources(page, {
    tag,
    sources: SOURCES,
    name,
    k: 2,
    participants: [ANNOTATOR1.email, ANNOTATOR2.email],
  });
  await expect(page.getByTestId("study-counts")).toContainText("0 ratings · 0 of 3 pairs complete");

  // Once live, the design that pairs were built with is locked, with a reason.
  await expect(page.getByRole("form", { name: "Study settings" }).getByLabel("Annotators per pair (k)")).toBeDisabled();
  await expect(page.getByText(/locked once the study has launched/)).toBeVisible();

  for (const who of [ANNOTATOR1, ANNOTATOR2]) {
    const ctx = await browser.newContext({
      viewport: who === ANNOTATOR2 ? { width: 820, height: 1180 } : { width: 1366, height: 800 },
    }); // laptop and tablet
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
  for (const row of await page.locator("[data-testid^=annotator-]").all())
    await expect(row.getByTestId("done")).toHaveText("3");
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
  await page.goto(`/studies/${studyId}/preview`);
  await expect(page.getByRole("form", { name: "Rate this item" })).toBeVisible();
});

test("an annotator flags a broken item, new instructions are asked for before the next item, and the researcher sees the flag", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const tag = `${Date.now()}`;
  const name = `E2E flags ${tag}`;
  const { studyId } = await launchStudyFromSources(page, {
    tag,
    sources: SOURCES,
    name,
    k: 1,
    participants: [ANNOTATOR1.email],
  });

  const { ctx, page: a } = await signedInPage(browser, ANNOTATOR1);
  await a.goto(`/tasks/${studyId}`);
  await a.getByRole("button", { name: /I have read the instructions/ }).click();
  await expect(a.getByRole("status").filter({ hasText: "Item 1 of 3" })).toBeVisible();
  await a.getByRole("button", { name: "Skip or flag a problem" }).click();
  const panel = a.getByRole("group", { name: "Skip or flag this item" });
  await panel.getByLabel("Reason").fill("The paraphrase on the right is cut off");
  await panel.getByRole("button", { name: "Flag and continue" }).click();
  await expect(a.getByText("Flagged. Thank you.")).toBeVisible();
  await expect(a.getByRole("status").filter({ hasText: "Item 1 of 2" })).toBeVisible();

  // The researcher publishes version 2 while the annotator is on an item.
  await page.goto(`/studies/${studyId}/instructions`);
  const form = page.getByRole("form", { name: "Instructions" });
  await form
    .getByLabel("Instructions (markdown)")
    .fill("# Version two\n\nRate **carefully**: this is the second version.");
  await form.getByRole("button", { name: "Save as a new version" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved as version 2.");

  // The item in hand is saved under the version it was shown with; the next one needs version 2.
  await a.getByRole("radio").first().focus();
  for (let i = 0; i < 8; i++) await a.keyboard.press("3");
  await a.keyboard.press("t");
  await a.keyboard.press("Enter");
  await expect(a.getByText("Rate carefully: this is the second version.")).toBeVisible();
  await a.getByRole("button", { name: /I have read the instructions/ }).click();
  await rateAllWithKeyboard(a, { criteria: 4, total: 2, startAt: 2 });
  await ctx.close();

  await page.goto(`/studies/${studyId}`);
  await expect(page.getByText("The paraphrase on the right is cut off")).toBeVisible();
  const row = page.locator("[data-testid^=annotator-]");
  await expect(row.getByTestId("done")).toHaveText("2");
  await expect(page.getByTestId("study-counts")).toContainText("2 ratings · 2 of 3 pairs complete");
});
