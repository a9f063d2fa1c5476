export { startGeneration } from "./start-generation";
export { listGenerationJobs } from "./list-generation-jobs";
export { runGenerationJob, runGenerationChunk } from "./run-generation-job";
export { GENERATE_JOB, normaliseSettings, TeacherSettings, StartGenerationInput } from "./schemas";
