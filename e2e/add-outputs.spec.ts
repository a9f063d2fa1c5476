import { expect, test, type Page } from "@playwright/test";
import { ADMIN, signIn } from "./fixtures/auth";

const SHOTS = process.env.E2E_SCREENSHOTS ?? "test-results/add-outputs";
/** What the form says once outputs are added ("Working…" may still show while the page refreshes). */
const added = (page: Page) =>
  page
    .getByRole("form", { name: "Add outputs by upload" })
    .getByRole("status")
    .filter({ hasText: /^Added/ });

/** A new eval set of three items with ids, imported through the upload page; returns its page's URL. */
async function newSet(page: Page, tag: string): Promise<string> {
  await page.goto("/eval-sets");
  const form = page.getByRole("form", { name: "Upload an eval set" });
  const csv = [
    "id,source",
    "q1,The committee approved the budget on Friday.",
    "q2,Heavy rain delayed the trains this morning.",
    "q3,The museum reopened after a long renovation.",
  ].join("\n");
  await form.getByLabel("File").setInputFiles({ name: "set.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(page.getByTestId("upload-preview").getByRole("status").first()).toContainText("3 rows (CSV)");
  await form.getByLabel("Name").fill(`E2E add outputs ${tag}`);
  await form.getByRole("button", { name: "Import" }).click();
  await expect(page).toHaveURL(/\/eval-sets\/[0-9a-f-]{36}$/);
  return page.url();
}

test("an admin adds a file of outputs to an existing eval set: preview, confirm, counted on the page", async ({
  page,
}) => {
  const tag = `${Date.now()}`;
  const system = `student-imported-${tag}`;
  await signIn(page, ADMIN);
  await newSet(page, tag);
  await expect(page.getByText("No outputs yet.")).toBeVisible();

  const form = page.getByRole("form", { name: "Add outputs by upload" });
  const outputs = [
    `id,source,output:${system}`,
    "q1,The committee approved the budget on Friday.,The budget was approved on Friday.",
    "q3,The museum reopened after a long renovation.,After a long renovation the museum opened again.",
  ].join("\n");
  await form
    .getByLabel(/File with an id column/)
    .setInputFiles({ name: "outputs.csv", mimeType: "text/csv", buffer: Buffer.from(outputs) });
  const preview = page.getByTestId("add-outputs-preview");
  await expect(preview.getByRole("status").first()).toContainText("2 rows (CSV); 0 with errors");
  await expect(preview.getByRole("status").first()).toContainText(`Outputs for: ${system}.`);
  await expect(preview.getByRole("row", { name: /q3/ })).toContainText(
    "After a long renovation the museum opened again.",
  );
  await page.screenshot({ path: `${SHOTS}/preview.png`, fullPage: true });

  await form.getByRole("button", { name: "Add outputs" }).click();
  await expect(added(page)).toHaveText("Added 2 outputs to 2 items.");
  const row = page.getByRole("row", { name: new RegExp(`${system} student`) });
  await expect(row).toContainText("2 of 3");
  await expect(row.getByRole("cell").last()).toHaveText("2");
  await page.screenshot({ path: `${SHOTS}/added.png`, fullPage: true });

  // The same file again adds nothing: the outputs are already there.
  await form
    .getByLabel(/File with an id column/)
    .setInputFiles({ name: "outputs.csv", mimeType: "text/csv", buffer: Buffer.from(outputs) });
  await form.getByRole("button", { name: "Add outputs" }).click();
  await expect(added(page)).toHaveText("Added 0 outputs to 2 items (2 were already there).");
});

test("an upload of outputs with problems shows them by line and adds nothing until they are left out", async ({
  page,
}) => {
  const tag = `${Date.now()}`;
  const system = `student-imported-${tag}`;
  await signIn(page, ADMIN);
  await newSet(page, tag);

  const form = page.getByRole("form", { name: "Add outputs by upload" });
  const outputs = [
    `id,source,output:${system}`,
    "q1,The committee approved the budget on Friday.,The budget was approved on Friday.",
    "zz,A sentence from another set.,Another paraphrase.",
    "q2,Heavy rain delayed the trains this morning.,Rain \u0000 delayed the trains.",
  ].join("\n");
  await form
    .getByLabel(/File with an id column/)
    .setInputFiles({ name: "outputs.csv", mimeType: "text/csv", buffer: Buffer.from(outputs) });
  const preview = page.getByTestId("add-outputs-preview");
  await expect(preview.getByRole("status").first()).toContainText("3 rows (CSV); 2 with errors");
  const problems = preview.getByRole("list", { name: "Problems" });
  await expect(problems).toContainText('Line 3: No item with id "zz" in this eval set.');
  await expect(problems).toContainText(
    `Line 4, field output:${system}: contains a NUL character (\\u0000), which cannot be stored; remove it.`,
  );
  await page.screenshot({ path: `${SHOTS}/problems.png`, fullPage: true });

  await form.getByRole("button", { name: "Add outputs" }).click();
  await expect(form.getByRole("alert")).toContainText("2 row errors found");
  await expect(form.getByRole("alert")).toContainText("line 3");
  await expect(page.getByText("No outputs yet.")).toBeVisible();

  await form.getByLabel(/Leave out the 2 rows with errors/).check();
  await form.getByRole("button", { name: "Add outputs" }).click();
  await expect(added(page)).toHaveText("Added 1 outputs to 1 items; left out lines 3, 4.");
  await expect(page.getByRole("row", { name: new RegExp(`${system} student`) })).toContainText("1 of 3");
  await page.screenshot({ path: `${SHOTS}/left-out.png`, fullPage: true });
});
