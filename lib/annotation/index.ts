export { listMyStudies } from "./list-my-studies";
export { getTaskOverview } from "./get-task";
export type { TaskOverview } from "./get-task";
export { acknowledgeInstructions } from "./acknowledge-instructions";
export { getNextItem, getMyAssignment } from "./next-item";
export { submitRating } from "./submit-rating";
export { skipItem } from "./skip-item";
export type { ItemView, NextResult, Progress } from "./schemas";
export { renewLease } from "./renew-lease";
