export { startGeneration } from "./start-generation";
export { listGenerationJobs, listJobsFor, getJobProgress, cancelJob, type JobProgress } from "./jobs";
export { runGenerationJob } from "./run-generation-job";
export { GENERATE_JOB, normaliseSettings, TeacherSettings, StartGenerationInput } from "./schemas";
