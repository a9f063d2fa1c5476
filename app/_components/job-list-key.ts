import type { JobProgress } from "@/lib/jobs";

/** The key that makes a JobList start afresh when the server's list of jobs changes (server side). */
export const jobListKey = (jobs: JobProgress[]) => jobs.map((j) => `${j.id}:${j.status}`).join(",");
