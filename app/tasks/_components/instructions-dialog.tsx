"use client";
import { useEffect, useRef } from "react";
import styles from "./rating.module.css";

/** A modal dialog for the instructions: Escape or the button closes it and focus returns. */
export function InstructionsDialog({
  open,
  onClose,
  children,
}: {
  open: boolean;
  onClose: () => void;
  children: React.ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className={styles.dialog} onClose={onClose} aria-labelledby="instructions-dialog-title">
      <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center", gap: "1rem" }}>
        <h2 id="instructions-dialog-title" style={{ margin: 0 }}>
          Instructions
        </h2>
        <button type="button" className="secondary" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
      {children}
    </dialog>
  );
}
