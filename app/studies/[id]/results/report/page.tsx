import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requirePageActor } from "@/lib/auth/session";
import { pageData } from "@/lib/http/page-data";
import { viewStudyResults } from "@/lib/results";
import { MetricsSection } from "../metrics-section";
import { RankingSection } from "../ranking-section";
import styles from "../results.module.css";
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
} from "../sections";
import { AsOf } from "../as-of";
import { SimulatedBanner } from "../simulated-banner";

export const metadata: Metadata = { title: "Results report" };

/** The results as a printable document: the page's charts and tables, print styles. */
export default async function ReportPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ scale?: string }>;
}) {
  const { id } = await params;
  const actor = await requirePageActor("results:read", `/studies/${id}/results/report`);
  if (!z.uuid().safeParse(id).success) notFound();
  const scale = (await searchParams).scale === "raw" ? "raw" : "z";
  const { results: r, asOf } = await pageData(viewStudyResults(actor, { studyId: id, scale }));
  return (
    <article className={styles.page} aria-labelledby="report-title">
      <p className="no-print">
        <Link href={`/studies/${id}/results?scale=${scale}`}>← Back to the results</Link> · use your browser&apos;s
        Print (Ctrl+P) for a PDF
      </p>
      <h1 id="report-title">
        Results report: {r.study.name}
        {r.dataset.label === "SIMULATED" && " (SIMULATED)"}
      </h1>
      <p>
        Study status {r.study.status.toLowerCase()}; tests on {scale === "z" ? "per-annotator z-scores" : "raw ratings"}
        .
      </p>
      <AsOf asOf={asOf} />
      <SimulatedBanner r={r} />
      <PreliminaryBanner r={r} />
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
      <MetricsSection actor={actor} studyId={id} />
      <Notes r={r} />
    </article>
  );
}
