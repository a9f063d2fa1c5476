"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import type { StudyOptions } from "@/lib/studies";
import { createStudyAction } from "../actions";

const FormSchema = z.object({
  name: z.string().trim().min(1, "Enter a name"),
  description: z.string().optional(),
  evalSetId: z.string().min(1, "Choose an eval set"),
  teacher: z.string().min(1, "Choose the teacher's outputs"),
  students: z.array(z.string()).min(1, "Choose at least one student"),
  participantIds: z.array(z.string()),
  design: z.enum(["PAIRWISE", "RANKING"]),
  annotatorsPerPair: z.coerce.number<number>().int().min(1, "At least 1"),
  maxPairsPerAnnotator: z.string().optional(),
  goldShare: z.coerce.number<number>().min(0).max(0.5, "At most 0.5"),
  attentionShare: z.coerce.number<number>().min(0).max(0.5, "At most 0.5"),
  minGoldAccuracy: z.string().optional(),
  nonInferiorityMarginPercent: z.coerce.number<number>().gt(0, "Above 0%").max(50, "At most 50%"),
  leaseMinutes: z.coerce.number<number>().int().min(1),
});
type Values = z.infer<typeof FormSchema>;

const split = (v: string) => {
  const i = v.indexOf("|");
  return { systemId: v.slice(0, i), settingsKey: v.slice(i + 1) };
};

export function NewStudyForm({ options }: { options: StudyOptions }) {
  const router = useRouter();
  const [error, setErrorText] = useState<string | null>(null);
  const { register, handleSubmit, control, formState, setValue } = useForm<Values>({
    resolver: zodResolver(FormSchema),
    defaultValues: {
      evalSetId: options.evalSets[0]?.id ?? "",
      students: [],
      participantIds: options.annotators.map((a) => a.id),
      design: "PAIRWISE",
      annotatorsPerPair: 2,
      goldShare: 0.1,
      attentionShare: 0.05,
      leaseMinutes: 30,
      nonInferiorityMarginPercent: 5,
      teacher: "",
    },
  });
  const evalSetId = useWatch({ control, name: "evalSetId" });
  const isRanking = useWatch({ control, name: "design" }) === "RANKING";
  const offered = (role: "TEACHER" | "STUDENT") =>
    options.systems
      .filter((s) => s.role === role)
      .flatMap((s) =>
        s.outputs
          .filter((o) => o.evalSetId === evalSetId)
          .map((o) => ({ value: `${s.id}|${o.settingsKey}`, label: `${s.name} — ${o.label} (${o.items} items)` })),
      );
  const teachers = offered("TEACHER");
  const students = offered("STUDENT");

  async function onSubmit(v: Values) {
    setErrorText(null);
    const teacher = split(v.teacher);
    const res = await createStudyAction({
      name: v.name,
      description: v.description ?? "",
      evalSetId: v.evalSetId,
      teacherSystemId: teacher.systemId,
      teacherSettingsKey: teacher.settingsKey,
      students: v.students.map(split),
      participantIds: v.participantIds,
      design: v.design,
      annotatorsPerPair: v.annotatorsPerPair,
      goldShare: v.goldShare,
      attentionShare: v.attentionShare,
      leaseMinutes: v.leaseMinutes,
      maxPairsPerAnnotator: v.maxPairsPerAnnotator ? Number(v.maxPairsPerAnnotator) : null,
      minGoldAccuracy: v.minGoldAccuracy ? Number(v.minGoldAccuracy) : null,
      nonInferiorityMargin: v.nonInferiorityMarginPercent / 100,
    });
    if (res.ok) router.push(`/studies/${res.data.id}`);
    else setErrorText(res.error.message);
  }
  const e = formState.errors;
  return (
    <form
      className="stack"
      style={{ maxWidth: "44rem" }}
      onSubmit={handleSubmit(onSubmit)}
      noValidate
      aria-label="New study"
    >
      <label>
        Name
        <input {...register("name")} aria-invalid={!!e.name} aria-describedby="name-hint" />
        <span className="error">{e.name?.message}</span>
      </label>
      <p id="name-hint" className="muted" style={{ margin: 0 }}>
        Annotators see this name: do not name the systems in it.
      </p>
      <label>
        Description
        <textarea rows={2} {...register("description")} />
      </label>
      <label>
        Eval set
        <select {...register("evalSetId")}>
          {options.evalSets.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.items} items)
            </option>
          ))}
        </select>
      </label>
      <label>
        Teacher outputs
        <select {...register("teacher")} aria-invalid={!!e.teacher}>
          <option value="">Choose…</option>
          {teachers.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </select>
        <span className="error">
          {e.teacher?.message ?? (teachers.length ? null : "No teacher has outputs for this eval set yet.")}
        </span>
      </label>
      <fieldset>
        <legend>Students (rank-0 output per item is compared)</legend>
        {students.length === 0 && <p className="muted">No student has outputs for this eval set yet.</p>}
        {students.map((s) => (
          <label key={s.value} style={{ display: "flex", gap: "0.5rem", fontWeight: 400 }}>
            <input type="checkbox" value={s.value} {...register("students")} /> {s.label}
          </label>
        ))}
        <span className="error">{e.students?.message}</span>
      </fieldset>
      <fieldset>
        <legend>Design</legend>
        <div role="radiogroup" aria-label="Study design" className="stack" style={{ marginBottom: "0.75rem" }}>
          <label style={{ display: "flex", gap: "0.5rem", fontWeight: 400 }}>
            <input type="radio" value="PAIRWISE" {...register("design")} />
            Pairwise: one teacher-vs-student pair per screen, one pair of a source per annotator
          </label>
          <label style={{ display: "flex", gap: "0.5rem", fontWeight: 400 }}>
            <input
              type="radio"
              value="RANKING"
              {...register("design", {
                // A ranking screen has no place for a check pair: the shares go to 0 (and stay there).
                onChange: () => {
                  setValue("goldShare", 0);
                  setValue("attentionShare", 0);
                },
              })}
            />
            Ranking: the teacher&apos;s and every student&apos;s text for a source on one screen, in a random order,
            each rated, then ranked; k annotators per source
          </label>
          {isRanking && (
            <p className="muted" style={{ margin: 0 }}>
              A ranking study has no gold or attention checks, and the cap counts pairs (a screen with n students takes
              n). The design cannot change once the study is live.
            </p>
          )}
        </div>
        <div className="cards">
          <label>
            Annotators per pair (k)
            <input type="number" min={1} {...register("annotatorsPerPair")} />
            <span className="error">{e.annotatorsPerPair?.message}</span>
          </label>
          <label>
            Cap per annotator (empty: none)
            <input type="number" min={1} {...register("maxPairsPerAnnotator")} />
          </label>
          <label>
            Gold share (0–0.5)
            <input type="number" step="0.01" min={0} max={0.5} readOnly={isRanking} {...register("goldShare")} />
            <span className="error">{e.goldShare?.message}</span>
          </label>
          <label>
            Attention-check share (0–0.5)
            <input type="number" step="0.01" min={0} max={0.5} readOnly={isRanking} {...register("attentionShare")} />
            <span className="error">{e.attentionShare?.message}</span>
          </label>
          <label>
            Non-inferiority margin (%: a student counts as good enough at 100% minus this of the teacher&apos;s score)
            <input type="number" step="0.5" min={0.5} max={50} {...register("nonInferiorityMarginPercent")} />
            <span className="error">{e.nonInferiorityMarginPercent?.message}</span>
          </label>
          <label>
            Pause below gold accuracy (0–1, empty: never)
            <input type="number" step="0.05" min={0} max={1} {...register("minGoldAccuracy")} />
          </label>
          <label>
            Lease (minutes)
            <input type="number" min={1} {...register("leaseMinutes")} />
          </label>
        </div>
      </fieldset>
      <fieldset>
        <legend>Participating annotators</legend>
        {options.annotators.map((a) => (
          <label key={a.id} style={{ display: "flex", gap: "0.5rem", fontWeight: 400 }}>
            <input type="checkbox" value={a.id} {...register("participantIds")} /> {a.name} ({a.email})
          </label>
        ))}
      </fieldset>
      <p role="alert" className="error">
        {error}
      </p>
      <button type="submit" disabled={formState.isSubmitting}>
        Create draft study
      </button>
    </form>
  );
}
