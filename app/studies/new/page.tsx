import type { Metadata } from "next";
import { requirePageActor } from "@/lib/auth/session";
import { listStudyOptions } from "@/lib/studies";
import { NewStudyForm } from "./new-study-form";

export const metadata: Metadata = { title: "New study" };

export default async function NewStudyPage() {
  const actor = await requirePageActor("studies:manage", "/studies/new");
  const options = await listStudyOptions(actor);
  return (
    <section aria-labelledby="new-title">
      <h1 id="new-title">New study</h1>
      <p className="muted">
        The study starts as a draft with the default instructions. Edit them, preview what annotators see, then launch.
      </p>
      <NewStudyForm options={options} />
    </section>
  );
}
