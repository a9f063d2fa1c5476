export { listSystems, toSystemView } from "./list-systems";
export { createTeacherSystem } from "./create-teacher-system";
export { syncStudentSystems } from "./sync-student-systems";
export { findSystem, type SystemRow } from "./queries";
export type { SystemView, CreateTeacherSystemInput } from "./schemas";
export { rescanModels } from "./rescan-models";
export { updateTeacherSystem, UpdateTeacherSystemInput } from "./update-teacher-system";
