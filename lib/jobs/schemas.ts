// What client components may import from the queue: schemas and pure formatting, nothing that reaches the database.
import type { JobFailures } from "./job-failures";

export {
  JobFailuresSchema,
  JobFailureItemSchema,
  FAILURE_KINDS,
  type JobFailures,
  type FailureKind,
} from "./job-failures";

/** "2 refused, 1 malformed" (kinds with none left out); "" when nothing failed. */
export function failureBreakdown(counts: JobFailures["counts"]): string {
  return (["refused", "malformed", "other"] as const)
    .filter((k) => counts[k] > 0)
    .map((k) => `${counts[k]} ${k}`)
    .join(", ");
}

/** "6 calls retried after 429/5xx, 4 items tried again"; "" when nothing was retried. */
export function retrySummary(retries: { upstream: number; items: number }): string {
  const parts = [];
  if (retries.upstream > 0)
    parts.push(`${retries.upstream} call${retries.upstream === 1 ? "" : "s"} retried after 429/5xx/time-out`);
  if (retries.items > 0) parts.push(`${retries.items} item tr${retries.items === 1 ? "y" : "ies"} repeated`);
  return parts.join(", ");
}
