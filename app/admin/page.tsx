import type { Metadata } from "next";
import Link from "next/link";
import { requirePageActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminHome() {
  await requirePageActor("users:manage", "/admin");
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">Admin</h1>
      <div className="cards">
        <div className="panel">
          <h2>
            <Link href="/eval-sets">Eval sets</Link>
          </h2>
          <p>
            Upload source sentences, references and outputs made elsewhere; generate outputs with the teacher and
            students.
          </p>
        </div>
        <div className="panel">
          <h2>
            <Link href="/admin/users">Users</Link>
          </h2>
          <p>Create accounts, invite annotators, reset passwords and deactivate users.</p>
        </div>
        <div className="panel">
          <h2>
            <Link href="/studies">Studies</Link>
          </h2>
          <p>Blind comparisons of teacher and students, and their results.</p>
        </div>
      </div>
    </section>
  );
}
