export { listSystems, toSystemView } from "./list-systems";
export { createTeacherSystem } from "./create-teacher-system";
export { syncStudentSystems } from "./sync-student-systems";
export { findSystem, type SystemRow } from "./queries";
export { CreateTeacherSystemInput, UpdateTeacherSystemInput, type SystemView } from "./schemas";
export { rescanModels } from "./rescan-models";
export { updateTeacherSystem } from "./update-teacher-system";
export { setSystemPrice, SetSystemPriceInput, type SetSystemPriceValues } from "./set-system-price";
