import type { Metadata } from "next";
import Link from "next/link";
import { JobList } from "@/app/_components/job-list";
import { jobListKey } from "@/app/_components/job-list-key";
import { can } from "@/lib/auth/permissions";
import { requirePageActor } from "@/lib/auth/session";
import { listJobsFor } from "@/lib/generation";
import { pageData } from "@/lib/http/page-data";
import { getJudgeAgreement, JUDGE_JOB } from "@/lib/judge";
import { StartJudgingButton } from "./start-judging-button";

export const metadata: Metadata = { title: "LLM judge" };

const fmt = (x: number | null | undefined, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? "—" : x.toFixed(d));

export default async function JudgePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePageActor("results:read", `/studies/${id}/judge`);
  const r = await pageData(getJudgeAgreement(actor, id));
  const canRun = can(actor.role, "judge:run");
  const jobs = canRun ? await listJobsFor(actor, { type: JUDGE_JOB, key: "studyId", value: id }) : [];
  return (
    <section aria-labelledby="judge-title">
      <h1 id="judge-title">LLM judge beside the annotators</h1>
      <p><Link href={`/studies/${id}`}>Back to the study</Link></p>
      <p className="muted">
        The judge rates the same blind pairs with the same criteria, each pair in both orders so its position bias cancels out. Its ratings are stored apart
        and never enter the human statistics. Only real (not simulated) human ratings are compared.
      </p>
      {canRun && <StartJudgingButton studyId={id} />}
      {jobs.length > 0 && <JobList key={jobListKey(jobs)} initial={jobs} />}
      <p>
        Pairs judged in both orders: {r.judgedPairs}; pairs with human ratings: {r.humanRatedPairs}; compared: {r.comparablePairs}.
        {r.judgeLeftShare !== null && <> The judge chose the left text in {fmt(r.judgeLeftShare * 100, 1)}% of its decisive answers (50% means no position bias).</>}
      </p>
      <h2>Preference agreement</h2>
      <p data-testid="preference-agreement">
        {r.preferenceAgreement.ok
          ? `${fmt(r.preferenceAgreement.estimate * 100, 1)}% of pairs (95% CI ${fmt(r.preferenceAgreement.lower * 100, 1)}–${fmt(r.preferenceAgreement.upper * 100, 1)}%) get the same verdict (teacher, tie or student) from the judge as from the annotators' majority.`
          : `Not enough data: ${r.preferenceAgreement.reason}.`}
      </p>
      <table>
        <caption>Judge and annotators per criterion (scores 1–5)</caption>
        <thead>
          <tr><th scope="col">Criterion</th><th scope="col">Teacher: judge / humans</th><th scope="col">Student: judge / humans</th><th scope="col">Spearman ρ</th><th scope="col">Krippendorff α (interval, 95% CI)</th></tr>
        </thead>
        <tbody>
          {r.criteria.map((c) => (
            <tr key={c.criterion}>
              <th scope="row">{c.criterion.replace(/_/g, " ")}</th>
              <td>{fmt(c.judgeMean.teacher)} / {fmt(c.humanMean.teacher)}</td>
              <td>{fmt(c.judgeMean.student)} / {fmt(c.humanMean.student)}</td>
              <td>{c.spearman.ok ? `${fmt(c.spearman.r)} (n = ${c.spearman.n}, p = ${c.spearman.p.toPrecision(2)})` : c.spearman.reason}</td>
              <td>{c.alpha.ok ? `${fmt(c.alpha.alpha)}${c.alpha.ci ? ` (${fmt(c.alpha.ci.lower)}–${fmt(c.alpha.ci.upper)})` : ""}` : c.alpha.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
