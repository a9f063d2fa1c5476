"use server";
import { runAction } from "@/lib/http/error-mapper";
import { acceptInvitation } from "@/lib/users";
import { AcceptInvitationInput } from "@/lib/users/schemas";

export async function acceptInvitationAction(input: unknown) {
  return runAction(async () => {
    const user = await acceptInvitation(AcceptInvitationInput.parse(input));
    return { email: user.email };
  });
}
