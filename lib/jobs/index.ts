export {
  runWorker,
  type ChunkContext,
  type ChunkHandler,
  type JobContext,
  type JobHandler,
  type JobOutcome,
  type WorkerOptions,
} from "./run-worker";
export { insertJob, claimNextJob } from "./queries";
export { claimNextChunk, completeChunk } from "./chunk-queries";
export { acquireSlots } from "./semaphore";
export { StoppedError } from "./slot-pool";
export { JOB_TYPES, permissionForJobType, type JobType } from "./job-types";
export { listJobsFor, getJobProgress, cancelJob, type JobProgress } from "./job-progress";
export {
  FailureLog,
  runItemWithRetries,
  parseJobFailures,
  FAILURE_KINDS,
  type FailureKind,
  type ItemFailure,
  type JobFailures,
  type ChunkReport,
} from "./job-failures";
export { failureBreakdown, retrySummary } from "./schemas";
export {
  releaseDedupeKey,
  queueResultsRefresh,
  queueResultsRefreshSql,
  pendingResultsRefresh,
  RESULTS_REFRESH_DELAY_MS,
  RESULTS_REFRESH_REST_FACTOR,
  restResultsRefresh,
} from "./debounced";
