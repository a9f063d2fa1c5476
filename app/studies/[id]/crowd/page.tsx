import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requirePageActor } from "@/lib/auth/session";
import { comprehensionToText, getCrowdOverview, studyLinks } from "@/lib/crowd";
import { pageData } from "@/lib/http/page-data";
import { CrowdForm } from "./crowd-form";

export const metadata: Metadata = { title: "External participants" };

export default async function CrowdPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePageActor("studies:manage", `/studies/${id}/crowd`);
  if (!z.uuid().safeParse(id).success) notFound();
  const o = await pageData(getCrowdOverview(actor, { studyId: id }));
  const h = await headers();
  const base = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host")}`;
  const links = o.token ? studyLinks(base, o.token) : null;
  const s = o.settings;
  return (
    <section aria-labelledby="crowd-title">
      <p>
        <Link href={`/studies/${id}`}>← {o.name}</Link>
      </p>
      <h1 id="crowd-title">External participants (Prolific, MTurk)</h1>
      {links && (
        <div className="panel">
          <h2>Study link</h2>
          <p>Paste this into Prolific as the study URL (it carries the participant id, study and session):</p>
          <p>
            <code data-testid="prolific-link">{links.prolific}</code>
          </p>
          <p>For an MTurk external question:</p>
          <p>
            <code data-testid="mturk-link">{links.mturk}</code>
          </p>
          <p>
            Participants so far:{" "}
            {Object.entries(o.stages)
              .map(([stage, n]) => `${n} ${stage.toLowerCase().replace("_", " ")}`)
              .join(", ") || "none"}
            . <a href={`/api/studies/${id}/export/payments?ids=1`}>Payment export (with platform ids)</a> ·{" "}
            <a href={`/api/studies/${id}/export/payments`}>Pseudonymised export</a>
          </p>
        </div>
      )}
      <CrowdForm
        studyId={id}
        initial={{
          isEnabled: o.isEnabled,
          consentMarkdown: s?.consentMarkdown ?? "",
          checkText: s ? comprehensionToText(s.comprehension) : "",
          completionCode: s?.completionCode ?? "",
          screenOutCode: s?.screenOutCode ?? "",
          maxAttentionFailures: s?.maxAttentionFailures ?? 1,
        }}
      />
    </section>
  );
}
