import { expect, test } from "@playwright/test";
import { ANNOTATOR2, signedInPage } from "./fixtures/auth";
import { launchStudyFromSources } from "./fixtures/annotation-study";

test("after an incomplete submit, focus goes to the first missing scale and the digit keys rate it", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const tag = `${Date.now()}`;
  const name = `E2E focus ${tag}`;
  await launchStudyFromSources(page, {
    tag,
    sources: ["The children cleaned the kitchen after dinner.", "The old farmer sold the farm last year."],
    name,
    k: 1,
    participants: [ANNOTATOR2.email],
  });
  const { ctx, page: a } = await signedInPage(browser, ANNOTATOR2);
  await a.getByRole("link", { name }).click();
  await a.getByRole("button", { name: /I have read the instructions/ }).click();
  await expect(a.getByRole("status").filter({ hasText: "Item 1 of 2" })).toBeVisible();
  // Three of the eight scales (meaning left and right, fluency left), then Enter.
  for (const d of ["4", "3", "5"]) await a.keyboard.press(d);
  await a.keyboard.press("Enter");
  const missing = a.getByRole("group", { name: "Fluency, right paraphrase" });
  await expect(missing.locator("input:focus")).toHaveCount(1);
  await a.keyboard.press("2");
  await expect(missing.getByRole("radio", { name: /^2/ })).toBeChecked();
  // And on from there: the next scale is the next missing one.
  await expect(
    a.getByRole("group", { name: /^Lexical diversity, left paraphrase/ }).locator("input:focus"),
  ).toHaveCount(1);
  await ctx.close();
});
