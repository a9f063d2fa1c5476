"use client";
import { useState } from "react";
import type { Criterion } from "@/lib/annotation";
import { InstructionsDialog } from "@/app/tasks/_components/instructions-dialog";
import { RatingForm } from "@/app/tasks/_components/rating-form";

/** The annotator's item form on a sample item; submitting only says what would be saved. */
export function PreviewClient(props: {
  criteria: Criterion[];
  sample: { source: string; left: string; right: string };
  instructions: React.ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <>
      <InstructionsDialog open={open} onClose={() => setOpen(false)}>
        {props.instructions}
      </InstructionsDialog>
      <RatingForm
        criteria={props.criteria}
        item={{ ...props.sample, rating: null }}
        progressLabel="Item 1 of n"
        busy={false}
        message={message}
        onSubmit={(v) =>
          setMessage({ ok: true, text: `Preview only, not saved: preference ${v.preference.toLowerCase()}.` })
        }
        onSkip={(action) =>
          setMessage({
            ok: true,
            text: `Preview only: the item would be ${action === "flag" ? "flagged" : "skipped"}.`,
          })
        }
        onOpenInstructions={() => setOpen(true)}
      />
    </>
  );
}
