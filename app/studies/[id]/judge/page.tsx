import type { Metadata } from "next";
import Link from "next/link";
import { JobList } from "@/app/_components/job-list";
import { jobListKey } from "@/app/_components/job-list-key";
import { can } from "@/lib/auth/permissions";
import { requirePageActor } from "@/lib/auth/session";
import { pageData } from "@/lib/http/page-data";
import { getJudgeAgreement, getJudgeCost, listJudgeJobs } from "@/lib/judge";
import { JudgeAgreement } from "@/app/_components/judge-agreement";
import { JudgeCostTable } from "./judge-cost";
import { StartJudgingButton } from "./start-judging-button";

export const metadata: Metadata = { title: "LLM judge" };

export default async function JudgePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePageActor("results:read", `/studies/${id}/judge`);
  const r = await pageData(getJudgeAgreement(actor, id)); // its owner, collaborators and admins only
  const costs = await pageData(getJudgeCost(actor, id));
  const canRun = can(actor.role, "judge:run");
  const jobs = canRun ? await listJudgeJobs(actor, id) : [];
  return (
    <section aria-labelledby="judge-title">
      <h1 id="judge-title">LLM judge beside the annotators</h1>
      <p>
        <Link href={`/studies/${id}`}>Back to the study</Link>
      </p>
      <p className="muted">
        The judge rates the same blind pairs with the same criteria, each pair in both orders so its position bias
        cancels out. Its ratings are stored apart and never enter the human statistics. Only real (not simulated) human
        ratings are compared.
      </p>
      {canRun && <StartJudgingButton studyId={id} />}
      {jobs.length > 0 && <JobList key={jobListKey(jobs)} initial={jobs} />}
      <JudgeAgreement r={r} />
      <JudgeCostTable costs={costs} />
    </section>
  );
}
