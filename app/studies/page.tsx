import type { Metadata } from "next";
import Link from "next/link";
import { requirePageActor } from "@/lib/auth/session";
import { listStudies } from "@/lib/studies";

export const metadata: Metadata = { title: "Studies" };

export default async function StudiesPage() {
  const actor = await requirePageActor("studies:manage", "/studies");
  const studies = await listStudies(actor);
  return (
    <section aria-labelledby="st-title">
      <h1 id="st-title">Studies</h1>
      <p>
        <Link className="button" href="/studies/new">
          New study
        </Link>
      </p>
      {studies.length === 0 ? (
        <p>No studies yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Study</th>
              <th scope="col">Status</th>
              <th scope="col">Eval set</th>
              <th scope="col">Teacher</th>
              <th scope="col">Students</th>
              <th scope="col">Pairs</th>
              <th scope="col">Ratings</th>
            </tr>
          </thead>
          <tbody>
            {studies.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link href={`/studies/${s.id}`}>{s.name}</Link> {s.isDemo && <span className="badge">demo</span>}
                </td>
                <td>{s.status.toLowerCase()}</td>
                <td>{s.evalSetName}</td>
                <td>{s.teacherName}</td>
                <td>{s.studentNames.join(", ")}</td>
                <td>{s.pairCount}</td>
                <td>
                  {s.ratingCount.toLocaleString("en-US")}
                  {s.simulatedRatingCount > 0 && (
                    <span className="muted"> + {s.simulatedRatingCount.toLocaleString("en-US")} simulated</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
