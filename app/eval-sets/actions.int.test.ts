import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { deleteUsers, makeUser } from "@/prisma/testing/factories";
import { importUploadAction, previewUploadAction } from "./actions";

// As app/studies/[id]/actions.int.test.ts: the real getActor reads the signed-in user from the
// database; only the session cookie's read and Next's page refresh are replaced.
const cookie = vi.hoisted(() => ({ session: null as { user: { id: string } } | null }));
vi.mock("@/lib/auth/session-cookie", () => ({
  readSession: async () => cookie.session && { userId: cookie.session.user.id, sessionVersion: 0 },
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

let admin: Actor;
beforeAll(async () => {
  admin = await makeUser("ADMIN");
  cookie.session = { user: { id: admin.id } };
});
afterAll(async () => {
  await deleteUsers(admin.id);
});

it("an upload action called without form data (a hand-made request) answers 422 with what to send", async () => {
  for (const action of [importUploadAction, previewUploadAction]) {
    for (const body of [undefined, {}, "file=x"]) {
      const res = await action(body as unknown as FormData);
      expect(res).toMatchObject({
        ok: false,
        error: { code: "validation", message: /Choose a CSV, TSV or JSONL file/ },
      });
    }
  }
  // A form without a file says the same.
  expect(await importUploadAction(new FormData())).toMatchObject({ ok: false, error: { code: "validation" } });
});
