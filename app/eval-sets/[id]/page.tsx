import type { Metadata } from "next";
import Link from "next/link";
import { requirePageActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { getEvalSet } from "@/lib/eval-sets";
import { pageData } from "@/lib/http/page-data";
import { listGenerationJobs } from "@/lib/generation";
import { listSystems } from "@/lib/systems";
import { AddOutputs } from "./add-outputs";
import { DistillationExport } from "./distillation-export";
import { GenerateForm } from "./generate-form";
import { JobList } from "@/app/_components/job-list";
import { jobListKey } from "@/app/_components/job-list-key";

export const metadata: Metadata = { title: "Eval set" };

export default async function EvalSetPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePageActor("eval-sets:read", `/eval-sets/${id}`);
  const set = await pageData(getEvalSet(actor, id));
  const canGenerate = can(actor.role, "generation:run");
  const [systems, jobs] = canGenerate
    ? await Promise.all([listSystems(actor), listGenerationJobs(actor, id)])
    : [[], []];
  return (
    <section aria-labelledby="set-title">
      <h1 id="set-title">{set.name}</h1>
      {set.description && <p>{set.description}</p>}
      <p className="muted">
        {set.itemCount} items{set.sourceFilename ? `, from ${set.sourceFilename}` : ""}.
      </p>
      <h2>Outputs</h2>
      <p>
        <Link href={`/eval-sets/${set.id}/outputs`}>Explore every output side by side, with its metrics</Link>
      </p>
      {set.outputsBySystem.length === 0 ? (
        <p>No outputs yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">System</th>
              <th scope="col">Role</th>
              <th scope="col">Settings</th>
              <th scope="col">Items with outputs</th>
              <th scope="col">Outputs</th>
            </tr>
          </thead>
          <tbody>
            {set.outputsBySystem.map((o) => (
              <tr key={`${o.systemId}-${o.settingsKey}`}>
                <td>{o.systemName}</td>
                <td>{o.role.toLowerCase()}</td>
                <td>{o.label}</td>
                <td>
                  {o.items} of {set.itemCount}
                </td>
                <td>{o.outputs}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canGenerate && (
        <>
          <h2>Generate outputs</h2>
          <GenerateForm
            evalSetId={set.id}
            systems={systems
              // A judge rates outputs; it does not make them (its outputs would appear nowhere).
              .filter((s) => s.kind !== "EXTERNAL" && s.role !== "JUDGE")
              .map((s) => ({ id: s.id, name: s.name, kind: s.kind, hasApiKey: s.hasApiKey }))}
          />
          <h2>Jobs</h2>
          <JobList key={jobListKey(jobs)} initial={jobs} />
        </>
      )}
      {can(actor.role, "eval-sets:manage") && (
        <>
          <h2>Add outputs by upload</h2>
          <p className="muted">
            Outputs made elsewhere, added to the items with the same id (the set&apos;s own ids); the file is checked
            and previewed like a new set&apos;s, line by line.
          </p>
          <AddOutputs evalSetId={set.id} />
        </>
      )}
      {can(actor.role, "distillation:export") && (
        <>
          <h2>Distillation data</h2>
          <p className="muted">
            The teacher&apos;s paraphrases as training pairs for a student, filtered by the automatic metrics, with a
            manifest of the filters and counts.
          </p>
          <DistillationExport evalSetId={set.id} sources={set.outputsBySystem.filter((o) => o.role === "TEACHER")} />
        </>
      )}
      <h2>Items</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Id</th>
            <th scope="col">Source</th>
            <th scope="col">References</th>
          </tr>
        </thead>
        <tbody>
          {set.items.map((it) => (
            <tr key={it.id}>
              <td>{it.externalId}</td>
              <td>{it.source}</td>
              <td>{it.references.join(" | ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {set.itemCount > set.items.length && (
        <p className="muted">
          Showing the first {set.items.length} of {set.itemCount}.
        </p>
      )}
    </section>
  );
}
