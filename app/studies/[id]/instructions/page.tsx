import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requirePageActor } from "@/lib/auth/session";
import { pageData } from "@/lib/http/page-data";
import { getStudy } from "@/lib/studies";
import { InstructionsForm } from "./instructions-form";

export const metadata: Metadata = { title: "Instructions" };

export default async function InstructionsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePageActor("studies:manage", `/studies/${id}/instructions`);
  if (!z.uuid().safeParse(id).success) notFound();
  const study = await pageData(getStudy(actor, { studyId: id }));
  if (!study.instructions) notFound();
  return (
    <section aria-labelledby="ins-title">
      <p>
        <Link href={`/studies/${id}`}>← {study.name}</Link>
      </p>
      <h1 id="ins-title">Instructions and criteria</h1>
      <p className="muted">
        Currently version {study.instructions.version}. Saving makes a new version; every rating keeps the version it
        was made under, and annotators are asked to read and acknowledge the new version before their next item.
        {study.status !== "DRAFT" && " The study is live: criteria can be reworded but not added, removed or renamed."}
      </p>
      <InstructionsForm
        studyId={id}
        markdown={study.instructions.markdown}
        criteria={study.instructions.criteria}
        keysLocked={study.status !== "DRAFT"}
        disabled={study.status === "CLOSED"}
      />
    </section>
  );
}
