import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { z } from "zod";
import { requirePageActor } from "@/lib/auth/session";
import { pageData } from "@/lib/http/page-data";
import { viewStudyResults } from "@/lib/results";
import { JudgeSection } from "./judge-section";
import { MetricsSection } from "./metrics-section";
import { RankingSection } from "./ranking-section";
import styles from "./results.module.css";
import {
  Agreement,
  Annotators,
  BradleyTerry,
  Comparisons,
  Efficiency,
  Headline,
  Means,
  NonInferiority,
  Notes,
  PositionBias,
  PreliminaryBanner,
  Progress,
} from "./sections";
import { AsOf } from "./as-of";
import { SimulatedBanner } from "./simulated-banner";

export const metadata: Metadata = { title: "Results" };

export default async function ResultsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ scale?: string; metrics?: string }>;
}) {
  const { id } = await params;
  const actor = await requirePageActor("results:read", `/studies/${id}/results`);
  if (!z.uuid().safeParse(id).success) notFound();
  const query = await searchParams;
  const scale = query.scale === "raw" ? "raw" : "z";
  const metricsBasis = query.metrics === "all" ? "all" : "rated";
  const { results: r, asOf } = await pageData(viewStudyResults(actor, { studyId: id, scale }));
  const other = scale === "z" ? "raw" : "z";
  return (
    <div className={styles.page}>
      <p className="no-print">
        <Link href={`/studies/${id}`}>← {r.study.name}</Link>
      </p>
      <h1 id="results-title">
        Results: {r.study.name}
        {r.dataset.label === "SIMULATED" && " (SIMULATED)"}
      </h1>
      <AsOf asOf={asOf} />
      <SimulatedBanner r={r} />
      <PreliminaryBanner r={r} />
      <nav aria-label="Results tools" className={`${styles.toolbar} no-print`}>
        <span>
          Tests on: <strong>{scale === "z" ? "per-annotator z-scores" : "raw ratings"}</strong> (
          <Link href={`/studies/${id}/results?scale=${other}`}>
            use {other === "z" ? "per-annotator z-scores" : "raw ratings"}
          </Link>
          )
        </span>
        <Link href={`/studies/${id}/results/report?scale=${scale}`}>Printable report</Link>
        <a href={`/api/studies/${id}/export/ratings?format=csv`} download>
          Download ratings (CSV)
        </a>
        <a href={`/api/studies/${id}/export/ratings?format=jsonl`} download>
          Download ratings (JSON Lines)
        </a>
        <a href={`/api/studies/${id}/export/results?scale=${scale}`} download>
          Download computed results (JSON)
        </a>
      </nav>
      <Headline r={r} />
      <NonInferiority r={r} />
      <Progress r={r} />
      <Means r={r} />
      <Comparisons r={r} />
      <RankingSection ranking={r.ranking} />
      <BradleyTerry r={r} />
      <Agreement r={r} />
      <PositionBias r={r} />
      <Efficiency r={r} />
      <Annotators r={r} />
      <Suspense fallback={<p>Computing automatic metrics…</p>}>
        <MetricsSection actor={actor} studyId={id} basis={metricsBasis} />
      </Suspense>
      <Suspense fallback={<p>Loading the LLM judge&apos;s ratings…</p>}>
        <JudgeSection actor={actor} studyId={id} />
      </Suspense>
      <Notes r={r} />
    </div>
  );
}
