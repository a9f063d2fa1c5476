import type { Metadata } from "next";
import Link from "next/link";
import { requirePageActor } from "@/lib/auth/session";
import { listMyStudies } from "@/lib/annotation";

export const metadata: Metadata = { title: "My tasks" };

export default async function TasksPage() {
  const actor = await requirePageActor("annotation:work", "/tasks");
  const studies = await listMyStudies(actor);
  return (
    <section aria-labelledby="tasks-title">
      <h1 id="tasks-title">My tasks</h1>
      {studies.length === 0 ? (
        <p>You have no studies to work on right now. When a researcher adds you to a live study it appears here.</p>
      ) : (
        <ul>
          {studies.map((s) => (
            <li key={s.studyId}>
              <Link href={`/tasks/${s.studyId}`}>
                <strong>{s.name}</strong>
              </Link>{" "}
              — {s.done} done{s.status === "PAUSED" || s.isPaused ? " (paused)" : ""}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
