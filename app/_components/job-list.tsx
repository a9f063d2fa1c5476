"use client";
import { useEffect, useState } from "react";
import type { JobProgress } from "@/lib/jobs";
import { failureBreakdown, retrySummary } from "@/lib/jobs/schemas";

const ACTIVE = ["QUEUED", "RUNNING"];

function eta(s: number | null) {
  if (s === null) return "";
  return s < 90 ? `${s} s left` : `${Math.round(s / 60)} min left`;
}

/**
 * Jobs with live progress: polls each active job once a second until it finishes. Parents give
 * it a `key` built from the jobs, so a server refresh with new jobs starts it afresh.
 */
export function JobList({ initial }: { initial: JobProgress[] }) {
  const [jobs, setJobs] = useState(initial);
  const activeIds = jobs
    .filter((j) => ACTIVE.includes(j.status))
    .map((j) => j.id)
    .join(",");
  useEffect(() => {
    if (!activeIds) return;
    const timer = setInterval(async () => {
      const updates = await Promise.all(
        activeIds
          .split(",")
          .map((id) => fetch(`/api/jobs/${id}`).then((r) => (r.ok ? (r.json() as Promise<JobProgress>) : null))),
      );
      setJobs((prev) => prev.map((j) => updates.find((u) => u?.id === j.id) ?? j));
    }, 1000);
    return () => clearInterval(timer);
  }, [activeIds]);

  async function cancel(id: string) {
    const res = await fetch(`/api/jobs/${id}/cancel`, { method: "POST" });
    if (res.ok) {
      const j = (await res.json()) as JobProgress;
      setJobs((prev) => prev.map((p) => (p.id === id ? j : p)));
    }
  }

  if (jobs.length === 0) return <p>No generation jobs yet.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">System</th>
          <th scope="col">Status</th>
          <th scope="col">Progress</th>
          <th scope="col">Rate</th>
          <th scope="col">Failures and retries</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((j) => (
          <tr key={j.id} data-testid={`job-${j.id}`}>
            <td>{j.systemName}</td>
            <td>
              {j.statusLabel}
              {j.cancelRequested && j.status === "RUNNING" ? " (cancelling)" : ""}
            </td>
            <td>
              <progress max={j.total} value={j.done} aria-label={`${j.systemName} progress`} /> {j.done} / {j.total}{" "}
              {eta(j.secondsLeft)}
            </td>
            <td>{j.ratePerSecond ? `${j.ratePerSecond.toFixed(1)} items/s` : ""}</td>
            <td>
              <FailureCell job={j} />
            </td>
            <td>
              {ACTIVE.includes(j.status) && (
                <button type="button" className="secondary" onClick={() => cancel(j.id)}>
                  Cancel
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** How many items failed, by kind, the first few with their reasons, and what was retried. */
function FailureCell({ job: j }: { job: JobProgress }) {
  const retries = retrySummary(j.retries);
  const more = j.errorCount - j.failedItems.length;
  return (
    <div data-testid="job-failures">
      {j.errorCount > 0 ? (
        <>
          <strong>
            {j.errorCount} failed{failureBreakdown(j.failureCounts) ? ` (${failureBreakdown(j.failureCounts)})` : ""}
          </strong>
          {j.failedItems.length > 0 ? (
            <ul>
              {j.failedItems.map((f) => (
                <li key={f.item}>
                  {f.label} — {f.kind}
                  {f.attempts > 1 ? ` after ${f.attempts} tries` : ""}: {f.reason}
                </li>
              ))}
              {more > 0 && <li>and {more} more</li>}
            </ul>
          ) : (
            <div>{j.lastError}</div>
          )}
        </>
      ) : (
        "0 failed"
      )}
      {retries && <div>{retries}</div>}
      {j.reused > 0 && <div>{j.reused} reused, not counted in the rate</div>}
    </div>
  );
}
