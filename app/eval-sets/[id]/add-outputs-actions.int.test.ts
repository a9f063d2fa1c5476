import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { prisma } from "@/lib/db";
import { importEvalSet } from "@/lib/eval-sets";
import { deleteUsers, makeUser, uniq } from "@/prisma/testing/factories";
import { addOutputsAction, previewAddOutputsAction } from "./add-outputs-actions";

// As app/eval-sets/actions.int.test.ts: the real getActor reads the signed-in user from the
// database; only the session cookie's read and Next's page refresh are replaced.
const cookie = vi.hoisted(() => ({ session: null as { user: { id: string } } | null }));
vi.mock("@/lib/auth/session-cookie", () => ({
  readSession: async () => cookie.session && { userId: cookie.session.user.id, sessionVersion: 0 },
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

let admin: Actor;
let researcher: Actor;
let evalSetId: string;
const setName = uniq("set");
const system = uniq("ext");
beforeAll(async () => {
  admin = await makeUser("ADMIN");
  researcher = await makeUser("RESEARCHER");
  const bytes = new TextEncoder().encode("id,source\nq1,The cat sat.\nq2,It rained.\n");
  evalSetId = (await importEvalSet(admin, { name: setName, filename: "s.csv", bytes })).evalSetId;
});
afterAll(async () => {
  await prisma.evalSet.deleteMany({ where: { name: setName } });
  await prisma.system.deleteMany({ where: { name: system } });
  await deleteUsers(admin.id, researcher.id);
});

function form(csv: string) {
  const f = new FormData();
  f.set("evalSetId", evalSetId);
  f.set("file", new File([csv], "more.csv", { type: "text/csv" }));
  return f;
}

it("previews and adds outputs for an admin; a researcher and a hand-made request are refused", async () => {
  const csv = `id,source,output:${system}\nq2,It rained.,It was raining.\n`;
  cookie.session = { user: { id: researcher.id } };
  expect(await addOutputsAction(form(csv))).toMatchObject({ ok: false, error: { code: "forbidden" } });
  cookie.session = { user: { id: admin.id } };
  expect(await previewAddOutputsAction(undefined as unknown as FormData)).toMatchObject({
    ok: false,
    error: { code: "validation" },
  });
  const preview = await previewAddOutputsAction(form(csv));
  expect(preview).toMatchObject({ ok: true, data: { rowCount: 1, errorCount: 0, systems: [system] } });
  expect(await addOutputsAction(form(csv))).toMatchObject({ ok: true, data: { outputsAdded: 1, matchedItems: 1 } });
});
