export { runWorker, type JobContext, type JobHandler, type JobOutcome, type WorkerOptions } from "./run-worker";
export { insertJob, claimNextJob } from "./queries";
