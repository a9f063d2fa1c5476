export { startJudging, ensureJudgeSystem, JUDGE_JOB } from "./start-judging";
export { runJudgeJob } from "./run-judge-job";
export { getJudgeAgreement, type JudgeAgreement } from "./get-judge-agreement";
export { listJudgeJobs } from "./list-judge-jobs";
export { getJudgeCost, type JudgeCost } from "./get-judge-cost";
