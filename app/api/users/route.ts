import { NextResponse } from "next/server";
import { requireActor } from "@/lib/auth/session";
import { handle } from "@/lib/http/error-mapper";
import { createUser, listUsers } from "@/lib/users";
import { CreateUserInput } from "@/lib/users/schemas";

/** GET: every account (admins). POST: create an account (admins). */
export const GET = handle(async () =>
  NextResponse.json({ users: await listUsers(await requireActor("users:manage")) }),
);

export const POST = handle(async (req: Request) => {
  const actor = await requireActor("users:manage");
  const input = CreateUserInput.parse(await req.json());
  return NextResponse.json({ user: await createUser(actor, input) }, { status: 201 });
});
