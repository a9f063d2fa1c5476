import type { Metadata } from "next";
import Link from "next/link";
import { describeInvitation } from "@/lib/users";
import { AcceptInvitationForm } from "./accept-form";

export const metadata: Metadata = { title: "Accept invitation" };

// Public by design: the unguessable token in the path is the credential.
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const inv = await describeInvitation(token);
  if (inv.state !== "valid") {
    const why = {
      invalid: "This invitation link is not valid.",
      used: "This invitation has already been used.",
      expired: "This invitation has expired.",
    }[inv.state];
    return (
      <section aria-labelledby="inv-title">
        <h1 id="inv-title">Invitation</h1>
        <p className="error">
          {why} Ask an admin for a new link, or <Link href="/sign-in">sign in</Link> if you already have an account.
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="inv-title">
      <h1 id="inv-title">Welcome</h1>
      <p>
        You were invited as <strong>{inv.role.toLowerCase()}</strong> with the email <strong>{inv.email}</strong>.
        Choose your name and a password.
      </p>
      <AcceptInvitationForm token={token} />
    </section>
  );
}
