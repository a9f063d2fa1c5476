import type { Metadata } from "next";
import Link from "next/link";
import { requirePageActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import {
  formatBytes,
  listEvalSets,
  MAX_EVAL_SET_FILE_BYTES,
  MAX_EVAL_SET_ROWS,
  MAX_SENTENCE_CHARS,
} from "@/lib/eval-sets";
import { UploadEvalSet } from "./upload-eval-set";

export const metadata: Metadata = { title: "Eval sets" };

export default async function EvalSetsPage() {
  const actor = await requirePageActor("eval-sets:read", "/eval-sets");
  const sets = await listEvalSets(actor);
  return (
    <section aria-labelledby="es-title">
      <h1 id="es-title">Eval sets</h1>
      {sets.length === 0 ? (
        <p>No eval sets yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Items</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {sets.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link href={`/eval-sets/${s.id}`}>{s.name}</Link> {s.isDemo && <span className="badge">demo</span>}
                </td>
                <td>{s.itemCount}</td>
                <td>{s.createdAt.toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {can(actor.role, "eval-sets:manage") && (
        <div className="panel" style={{ marginTop: "1.5rem" }}>
          <h2>Upload an eval set</h2>
          <p className="muted">
            CSV, TSV or JSON Lines, UTF-8 (with or without BOM); at most {formatBytes(MAX_EVAL_SET_FILE_BYTES)},{" "}
            {MAX_EVAL_SET_ROWS.toLocaleString("en")} rows and {MAX_SENTENCE_CHARS.toLocaleString("en")} characters per
            sentence. Required: a <code>source</code> column. Optional: <code>id</code>, <code>reference</code> (or{" "}
            <code>reference_1</code>, <code>reference_2</code>, …), <code>output:&lt;system name&gt;</code> for outputs
            made elsewhere; other columns are kept as metadata. JSONL:{" "}
            <code>{`{"id": "1", "source": "…", "references": ["…"], "outputs": {"gpt-3.5-turbo": ["…"]}}`}</code>.
          </p>
          <UploadEvalSet maxFileBytes={MAX_EVAL_SET_FILE_BYTES} limitLabel={formatBytes(MAX_EVAL_SET_FILE_BYTES)} />
        </div>
      )}
    </section>
  );
}
