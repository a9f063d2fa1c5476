import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { getActor } from "@/lib/auth/session";
import { homePath } from "@/lib/auth/permissions";
import { navLinksFor } from "./_components/nav-links";
import { SignOutButton } from "./_components/sign-out-button";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Distil Eval", template: "%s · Distil Eval" },
  // Annotators see every page's meta: it must not say what is compared, or that one side is a teacher.
  description: "Rate pairs of paraphrases",
};

// Every page depends on who is signed in and on live data: never prerender.
export const dynamic = "force-dynamic";

// Layouts only decide what navigation to show; every page checks access itself.
export default async function RootLayout({ children }: { children: ReactNode }) {
  const actor = await getActor();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site">
          <Link className="brand" href={actor ? homePath(actor.role) : "/"}>
            Distil Eval
          </Link>
          {actor && (
            <nav aria-label="Main">
              <ul>
                {navLinksFor(actor.role).map((l) => (
                  <li key={l.href}>
                    <Link href={l.href}>{l.label}</Link>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {actor && (
            <div className="who">
              <span>
                {actor.name} <span className="badge">{actor.role.toLowerCase()}</span>
              </span>
              <SignOutButton />
            </div>
          )}
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
