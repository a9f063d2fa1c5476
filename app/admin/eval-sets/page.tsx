import type { Metadata } from "next";
import { requirePageActor } from "@/lib/auth/session";
import { listEvalSets } from "@/lib/eval-sets/list-eval-sets";

export const metadata: Metadata = { title: "Eval sets" };

export default async function EvalSetsPage() {
  const actor = await requirePageActor("eval-sets:manage", "/admin/eval-sets");
  const sets = await listEvalSets(actor);
  return (
    <section aria-labelledby="es-title">
      <h1 id="es-title">Eval sets</h1>
      {sets.length === 0 ? (
        <p>No eval sets yet.</p>
      ) : (
        <table>
          <thead><tr><th scope="col">Name</th><th scope="col">Items</th><th scope="col">Created</th></tr></thead>
          <tbody>
            {sets.map((s) => (
              <tr key={s.id}>
                <td>{s.name} {s.isDemo && <span className="badge">demo</span>}</td>
                <td>{s.itemCount}</td>
                <td>{s.createdAt.toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
