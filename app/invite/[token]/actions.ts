"use server";
import { runAction } from "@/lib/http/error-mapper";
import { acceptInvitation } from "@/lib/users";

export async function acceptInvitationAction(input: unknown) {
  return runAction(async () => {
    const user = await acceptInvitation(input as { token: string; name: string; password: string });
    return { email: user.email };
  });
}
