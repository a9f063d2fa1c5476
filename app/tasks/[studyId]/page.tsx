import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requirePageActor } from "@/lib/auth/session";
import { getTaskOverview } from "@/lib/annotation";
import { pageData } from "@/lib/http/page-data";
import { InstructionsView } from "../_components/instructions-view";
import { TaskClient } from "./task-client";

export const metadata: Metadata = { title: "Rate" };

export default async function TaskPage({ params }: { params: Promise<{ studyId: string }> }) {
  const { studyId } = await params;
  const actor = await requirePageActor("annotation:work", `/tasks/${studyId}`);
  if (!z.uuid().safeParse(studyId).success) notFound();
  const overview = await pageData(getTaskOverview(actor, { studyId }));
  return (
    <section aria-labelledby="task-title">
      <p>
        <Link href="/tasks">← My tasks</Link>
      </p>
      <h1 id="task-title">{overview.studyName}</h1>
      <TaskClient
        // A new instructions version remounts the loop, so it asks for the new acknowledgement.
        key={overview.instructions.id}
        studyId={overview.studyId}
        instructionsVersionId={overview.instructions.id}
        criteria={overview.instructions.criteria}
        hasAcknowledged={overview.hasAcknowledged}
        instructions={
          <InstructionsView
            markdown={overview.instructions.markdown}
            criteria={overview.instructions.criteria}
            headingLevel={3}
          />
        }
      />
    </section>
  );
}
