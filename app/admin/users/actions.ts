"use server";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/session";
import { runAction } from "@/lib/http/error-mapper";
import { createUser, inviteUser, resetPassword, setUserActive } from "@/lib/users";
import { CreateUserInput, InviteUserInput, ResetPasswordInput, SetUserActiveInput } from "@/lib/users/schemas";

// Each action parses its input, asks the use case (which checks the permission table) and
// returns a result the form can show; errors go through the one mapper in runAction.

export async function createUserAction(input: unknown) {
  return runAction(async () => {
    const user = await createUser(await requireActor("users:manage"), CreateUserInput.parse(input));
    revalidatePath("/admin/users");
    return { id: user.id, email: user.email };
  });
}

export async function inviteUserAction(input: unknown) {
  return runAction(async () => {
    const inv = await inviteUser(await requireActor("users:manage"), InviteUserInput.parse(input));
    revalidatePath("/admin/users");
    return { email: inv.email, path: inv.path, expiresAt: inv.expiresAt.toISOString() };
  });
}

export async function resetPasswordAction(input: unknown) {
  return runAction(async () => {
    await resetPassword(await requireActor("users:manage"), ResetPasswordInput.parse(input));
    return { done: true };
  });
}

export async function setUserActiveAction(input: unknown) {
  return runAction(async () => {
    const user = await setUserActive(await requireActor("users:manage"), SetUserActiveInput.parse(input));
    revalidatePath("/admin/users");
    return { id: user.id, isActive: user.isActive };
  });
}
