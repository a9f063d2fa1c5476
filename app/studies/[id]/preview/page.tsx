import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requirePageActor } from "@/lib/auth/session";
import { pageData } from "@/lib/http/page-data";
import { previewStudy } from "@/lib/studies";
import { InstructionsView } from "@/app/tasks/_components/instructions-view";
import { PreviewClient } from "./preview-client";

export const metadata: Metadata = { title: "Preview" };

export default async function PreviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePageActor("studies:manage", `/studies/${id}/preview`);
  if (!z.uuid().safeParse(id).success) notFound();
  const preview = await pageData(previewStudy(actor, { studyId: id }));
  const instructions = (
    <InstructionsView
      markdown={preview.instructions.markdown}
      criteria={preview.instructions.criteria}
      headingLevel={3}
    />
  );
  return (
    <section aria-labelledby="preview-title">
      <p>
        <Link href={`/studies/${id}`}>← Back to the study</Link>
      </p>
      <h1 id="preview-title">Preview: {preview.studyName}</h1>
      <p className="muted">
        What an annotator sees, with instructions version {preview.instructions.version}. Nothing you do here is saved.
        Annotators see sides in random order; here the teacher is on the left.
      </p>
      <h2>1. Before the first item</h2>
      <div className="panel">{instructions}</div>
      <h2>2. An item</h2>
      {preview.sample ? (
        <PreviewClient criteria={preview.instructions.criteria} sample={preview.sample} instructions={instructions} />
      ) : (
        <p>No item has both a teacher and a student output yet.</p>
      )}
    </section>
  );
}
