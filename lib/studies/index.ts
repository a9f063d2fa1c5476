export { createStudy } from "./create-study";
export { updateStudySettings, editInstructions, setParticipants, LOCKED_WHEN_LIVE } from "./update-study";
export { launchStudy, setStudyStatus } from "./launch-study";
export { getStudy, listAnnotatorChoices, listStudyOptions } from "./get-study";
export type { StudyDetail, StudyOptions } from "./get-study";
export { previewStudy } from "./preview-study";
export type { StudyPreview } from "./preview-study";
export { getStudyMonitor, setParticipantPaused } from "./study-monitor";
export type { StudyMonitor, AnnotatorQuality } from "./study-monitor";
export { listStudies } from "./list-studies";
export { requireStudyAccess, studyPermissions, studyRelation } from "./study-access";
export {
  addCollaborator,
  removeCollaborator,
  listCollaborators,
  listCollaboratorChoices,
  getStudyPeople,
  CollaboratorInput,
  RemoveCollaboratorInput,
} from "./collaborators";
export { getStudyAuditTrail, getRecentStudyAudit, recordStudyExport } from "./study-audit";
export { DEFAULT_CRITERIA, DEFAULT_INSTRUCTIONS } from "./default-instructions";
export { ATTENTION_TEXT } from "./build-pairs";
