import { z } from "zod";
import { CriteriaSchema } from "@/lib/annotation/schemas";

const share = z.coerce.number<number>().min(0, "Between 0 and 0.5").max(0.5, "Between 0 and 0.5");

/** Design settings; the ones marked in LOCKED_WHEN_LIVE cannot change once ratings may exist. */
export const StudyDesignSchema = z.enum(["PAIRWISE", "RANKING"]);
export type StudyDesign = z.infer<typeof StudyDesignSchema>;

const DesignSettingsFields = z.object({
  /** PAIRWISE: one teacher-vs-student pair per screen; RANKING: every system's text for a source on one screen, rated and ranked. */
  design: StudyDesignSchema,
  annotatorsPerPair: z.coerce.number<number>().int().min(1, "At least 1").max(20, "At most 20"),
  maxPairsPerAnnotator: z.coerce.number<number>().int().min(1, "At least 1").nullable(),
  goldShare: share,
  attentionShare: share,
  minGoldAccuracy: z.coerce.number<number>().min(0).max(1).nullable(),
  /** Relative non-inferiority margin (0.05 = the student must reach 95% of the teacher's score). */
  nonInferiorityMargin: z.coerce
    .number<number>()
    .gt(0, "A margin above 0, e.g. 0.05 for 5%")
    .max(0.5, "At most 0.5 (50%); write 5% as 0.05"),
  leaseMinutes: z.coerce
    .number<number>()
    .int()
    .min(1)
    .max(24 * 60),
});

/** A new study's design: what is left out gets its default. */
export const DesignSettingsSchema = DesignSettingsFields.extend({
  design: StudyDesignSchema.default("PAIRWISE"),
  maxPairsPerAnnotator: DesignSettingsFields.shape.maxPairsPerAnnotator.default(null),
  goldShare: share.default(0),
  attentionShare: share.default(0),
  minGoldAccuracy: DesignSettingsFields.shape.minGoldAccuracy.default(null),
  nonInferiorityMargin: DesignSettingsFields.shape.nonInferiorityMargin.default(0.05),
  leaseMinutes: DesignSettingsFields.shape.leaseMinutes.default(30),
});

export const StudentChoiceSchema = z.object({ systemId: z.uuid(), settingsKey: z.string().min(1) });

export const CreateStudyInput = DesignSettingsSchema.extend({
  name: z.string().trim().min(1, "Enter a name").max(120),
  description: z.string().trim().max(2000).default(""),
  evalSetId: z.uuid("Choose an eval set"),
  teacherSystemId: z.uuid("Choose a teacher"),
  teacherSettingsKey: z.string().min(1, "Choose the teacher's outputs"),
  students: z.array(StudentChoiceSchema).min(1, "Choose at least one student"),
  participantIds: z.array(z.uuid()).default([]),
  instructionsMarkdown: z.string().trim().min(1).max(50_000).optional(),
  criteria: CriteriaSchema.optional(),
});
export type CreateStudyInput = z.input<typeof CreateStudyInput>;

// Built from the fields without defaults: a default here would overwrite a stored value the
// caller left out (and, once live, be refused as a change to a locked setting).
export const UpdateStudySettingsInput = DesignSettingsFields.partial().extend({
  studyId: z.uuid(),
  name: z.string().trim().min(1).max(120).optional(),
  description: z.string().trim().max(2000).optional(),
});
export type UpdateStudySettingsInput = z.input<typeof UpdateStudySettingsInput>;

export const EditInstructionsInput = z.object({
  studyId: z.uuid(),
  markdown: z.string().trim().min(1, "Instructions cannot be empty").max(50_000),
  criteria: CriteriaSchema,
});
export type EditInstructionsInput = z.input<typeof EditInstructionsInput>;

export const SetParticipantsInput = z.object({ studyId: z.uuid(), userIds: z.array(z.uuid()) });
export const StudyStatusInput = z.object({ studyId: z.uuid(), status: z.enum(["LIVE", "PAUSED", "CLOSED"]) });
export const StudyIdInput = z.object({ studyId: z.uuid() });
export const PauseParticipantInput = z.object({
  studyId: z.uuid(),
  userId: z.uuid(),
  isPaused: z.boolean(),
  reason: z.string().trim().max(300).optional(),
});
