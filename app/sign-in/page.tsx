import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getActor } from "@/lib/auth/session";
import { sameSiteCallbackPath } from "@/lib/auth/callback-path";
import { homePath } from "@/lib/auth/permissions";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const actor = await getActor();
  const { callbackUrl } = await searchParams;
  // Only same-site paths, so the sign-in page cannot be used to bounce people elsewhere.
  const target = sameSiteCallbackPath(callbackUrl);
  if (actor) redirect(target ?? homePath(actor.role));
  return (
    <section aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      <SignInForm callbackUrl={target ?? "/"} />
    </section>
  );
}
