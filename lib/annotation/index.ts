export { listMyStudies } from "./list-my-studies";
export { getTaskOverview } from "./get-task";
export type { TaskOverview } from "./get-task";
export { acknowledgeInstructions } from "./acknowledge-instructions";
export { getNextItem, getMyAssignment } from "./next-item";
export { submitRating, submitRatingThenClaim } from "./submit-rating";
export type { Participation } from "./queries";
export { submitRatingAndNext } from "./submit-and-next";
export { skipItem } from "./skip-item";
export { submitRanking, competitionRanks, derivePairRating } from "./submit-ranking";
export { skipScreen, renewScreenLease } from "./skip-screen";
export type { ScreenView, SubmitRankingInput } from "./schemas";
export { SubmitRankingInput as SubmitRankingSchema, SkipScreenInput as SkipScreenSchema } from "./schemas";
export type { ItemView, NextResult, Progress, SubmitRatingInput } from "./schemas";
export { SubmitRatingInput as SubmitRatingSchema, SkipInput as SkipSchema } from "./schemas";
export { renewLease } from "./renew-lease";
export { sideSql, sideOfColumnSql } from "./sides-sql";
export {
  PreferenceSchema,
  StoredScoresSchema,
  SubmittedScoresSchema,
  sideOf,
  roleOf,
  placeSides,
  preferredRole,
  preferenceFor,
  studentPreferenceSign,
  unblind,
  unblindScores,
  blindScores,
} from "./sides";
export type { Side, Role, Preference, StoredScores, SidedScores, RoleScores } from "./sides";
export { knownAnswerScore, knownAnswerScores, NO_KNOWN_ANSWERS } from "./known-answers";
export type { KnownAnswerScore } from "./known-answers";
export { isExpectedAnswer, ExpectedAnswerSchema, CriteriaSchema, CriterionSchema } from "./schemas";
export type { ExpectedAnswer, Criterion } from "./schemas";
