import { NextResponse } from "next/server";
import { getActor } from "@/lib/auth/session";
import { handle } from "@/lib/http/error-mapper";
import { createUser, listUsers } from "@/lib/users";
import { CreateUserInput } from "@/lib/users/schemas";

/** GET: every account (admins). POST: create an account (admins). */
export const GET = handle(async () => NextResponse.json({ users: await listUsers(await getActor()) }));

export const POST = handle(async (req: Request) => {
  const input = CreateUserInput.parse(await req.json());
  return NextResponse.json({ user: await createUser(await getActor(), input) }, { status: 201 });
});
