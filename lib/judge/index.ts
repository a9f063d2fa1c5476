export { startJudging, ensureJudgeSystem, JUDGE_JOB, JUDGE_SYSTEM_NAME } from "./start-judging";
export { runJudgeJob } from "./run-judge-job";
export { getJudgeAgreement, type JudgeAgreement } from "./get-judge-agreement";
export { buildJudgePrompt, parseJudgeReply, JudgeReplyError } from "./prompt";
