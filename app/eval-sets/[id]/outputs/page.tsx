import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/lib/auth/session";
import { exploreOutputs, type ExplorerOutput } from "@/lib/explorer";
import { pageData } from "@/lib/http/page-data";
import styles from "./explorer.module.css";

export const metadata: Metadata = { title: "Outputs" };

const FILTERS = {
  all: "All items",
  copies: "Copies of the source",
  empty: "Empty outputs",
  duplicates: "Duplicates within a system",
  "low-similarity": "Semantic similarity below the threshold",
} as const;
const METRIC_LABELS: Record<keyof ExplorerOutput["metrics"], string> = {
  semanticSimilarity: "sim",
  wordEditDistance: "WED",
  lexicalDeviation: "LD",
  wordPositionDeviation: "WPD",
  treeEditDistance: "TED",
  syntacticDiversity: "POS-ED",
  lengthRatio: "len",
};

/** Every item of an eval set with all systems' outputs side by side, for admins and researchers. */
export default async function OutputsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { id } = await params;
  const actor = await requirePageActor("eval-sets:read", `/eval-sets/${id}/outputs`);
  if (!z.uuid().safeParse(id).success) notFound();
  const q = await searchParams;
  const p = await pageData(
    exploreOutputs(actor, {
      evalSetId: id,
      page: q.page && /^\d+$/.test(q.page) ? Number(q.page) : 1,
      filter: q.filter && q.filter in FILTERS ? (q.filter as keyof typeof FILTERS) : "all",
      sort: q.sort === "similarity" ? "similarity" : "position",
      below: q.below && !Number.isNaN(Number(q.below)) ? Math.max(-1, Math.min(1, Number(q.below))) : 0.5,
    }),
  );
  const link = (page: number) =>
    `/eval-sets/${id}/outputs?page=${page}&filter=${p.filter}&sort=${p.sort}&below=${p.below}`;
  return (
    <section aria-labelledby="outputs-title">
      <p>
        <Link href={`/eval-sets/${id}`}>← {p.evalSet.name}</Link>
      </p>
      <h1 id="outputs-title">Outputs of {p.evalSet.name}</h1>
      <form method="get" className="no-print">
        <label>
          Show{" "}
          <select name="filter" defaultValue={p.filter}>
            {Object.entries(FILTERS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          threshold <input name="below" type="number" step="0.05" min="-1" max="1" defaultValue={p.below} />
        </label>{" "}
        <label>
          Sort{" "}
          <select name="sort" defaultValue={p.sort}>
            <option value="position">by position</option>
            <option value="similarity">lowest semantic similarity first</option>
          </select>
        </label>{" "}
        <button type="submit">Apply</button>{" "}
        <a href={`/api/eval-sets/${id}/outputs?format=csv`} download>
          Download CSV
        </a>{" "}
        ·{" "}
        <a href={`/api/eval-sets/${id}/outputs?format=jsonl`} download>
          Download JSONL
        </a>
      </form>
      <p className="muted">
        {p.total} of {p.evalSet.itemCount} items · page {p.page} of {p.pages}. Words not in the source are{" "}
        <mark className={styles.changed}>highlighted</mark>. Semantic similarity:{" "}
        {p.semantic.reason ?? p.semantic.label}. Tree edit distance: {p.treeEditDistance ?? "link-grammar parser"}.
      </p>
      {p.items.map((item) => (
        <article key={item.id} className={styles.item} data-item={item.externalId ?? item.position + 1}>
          <h3>
            {item.externalId ?? `#${item.position + 1}`}: <span className={styles.source}>{item.source}</span>
          </h3>
          {item.outputSets.length === 0 && <p className="muted">No outputs yet.</p>}
          <div className={styles.sets}>
            {item.outputSets.map((set) => (
              <div key={set.key} className={styles.set}>
                <h4>
                  {set.label} <span className="muted">({set.role})</span>
                </h4>
                {set.outputs.map((o) => (
                  <div key={o.id}>
                    <p className={styles.output}>
                      <span className="muted">{o.rank}.</span>{" "}
                      {o.segments.map((s, i) =>
                        s.isChanged ? (
                          <mark key={i} className={styles.changed}>
                            {s.text}
                          </mark>
                        ) : (
                          <span key={i}>{s.text}</span>
                        ),
                      )}
                      {o.isEmpty && <span className={styles.flag}>empty</span>}
                      {o.isCopy && <span className={styles.flag}>copy of source</span>}
                      {o.isDuplicate && <span className={styles.flag}>duplicate</span>}
                    </p>
                    <p className={styles.metrics}>
                      {Object.entries(o.metrics)
                        .map(
                          ([k, v]) =>
                            `${METRIC_LABELS[k as keyof typeof METRIC_LABELS]} ${v === null ? "–" : v.toFixed(2)}`,
                        )
                        .join(" · ")}
                    </p>
                  </div>
                ))}
              </div>
            ))}
          </div>
        </article>
      ))}
      <nav aria-label="Pages">
        {p.page > 1 && <Link href={link(p.page - 1)}>← Previous</Link>}{" "}
        {p.page < p.pages && <Link href={link(p.page + 1)}>Next →</Link>}
      </nav>
    </section>
  );
}
