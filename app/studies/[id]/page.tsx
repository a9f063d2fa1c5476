import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { z } from "zod";
import { requirePageActor } from "@/lib/auth/session";
import { pageData } from "@/lib/http/page-data";
import {
  getRecentStudyAudit,
  getStudy,
  getStudyMonitor,
  listAnnotatorChoices,
  listCollaboratorChoices,
  getStudyPeople,
  studyPermissions,
} from "@/lib/studies";
import { Settling } from "./settling";
import { AddCollaboratorForm, CollaboratorAccessSelect, RemoveCollaboratorButton } from "./sharing-form";
import { ParticipantPauseButton, ParticipantsForm, SettingsForm, StatusControls } from "./study-controls";

export const metadata: Metadata = { title: "Study" };

const pct = (x: number | null) => (x === null ? "–" : `${Math.round(x * 100)}%`);
const ACTIONS: Record<string, string> = {
  "study.launch": "launched the study",
  "study.pause": "paused the study",
  "study.resume": "resumed the study",
  "study.close": "closed the study",
  "study.settings": "changed settings",
  "study.instructions": "edited instructions",
  "study.participants": "changed participants",
  "study.annotator": "paused, resumed or excluded an annotator",
  "study.collaborator": "changed who has access",
  "study.export": "exported",
};
const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
/** An audit row's before → after, user ids shown as the emails we know, cut to a readable length. */
function change(before: unknown, after: unknown, emails: Map<string, string>) {
  const show = (v: unknown) =>
    v == null ? "–" : JSON.stringify(v, (k, x) => (k === "userId" && emails.has(x) ? emails.get(x) : x));
  const text = before == null ? show(after) : `${show(before)} → ${show(after)}`;
  return text.length > 240 ? `${text.slice(0, 239)}…` : text;
}

export default async function StudyPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePageActor("studies:manage", `/studies/${id}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const study = await pageData(getStudy(actor, { studyId: id }));
  const may = await studyPermissions(actor, id);
  const [monitor, annotators, { owner, collaborators }, choices, audit] = await Promise.all([
    getStudyMonitor(actor, { studyId: id }),
    listAnnotatorChoices(actor),
    getStudyPeople(actor, id),
    may.share ? listCollaboratorChoices(actor, id) : [],
    may.audit ? getRecentStudyAudit(actor, id, 50) : [],
  ]);
  const emails = new Map([...(owner ? [owner] : []), ...collaborators, ...choices].map((p) => [p.id, p.email]));
  return (
    <section aria-labelledby="study-title">
      <p>
        <Link href="/studies">← Studies</Link>
      </p>
      <h1 id="study-title">
        {study.name}{" "}
        <span className="badge" data-testid="study-status">
          {study.status.toLowerCase()}
        </span>
      </h1>
      {study.description && <p>{study.description}</p>}
      <p data-testid="study-design">
        Design:{" "}
        {study.settings.design === "RANKING"
          ? "ranking (the teacher's and every student's text for a source on one screen, in a random order, each rated, then ranked)"
          : "pairwise (one teacher-vs-student pair per screen)"}
        {study.status !== "DRAFT" && <span className="muted"> · fixed now that the study has launched</span>}
      </p>
      <p>
        <Link href={`/studies/${id}/preview`}>Preview as an annotator</Link> ·{" "}
        <Link href={`/studies/${id}/instructions`}>Edit instructions and criteria</Link> ·{" "}
        <Link href={`/studies/${id}/crowd`}>External participants</Link>
        {study.status !== "DRAFT" && (
          <>
            {" "}
            · <Link href={`/studies/${id}/results`}>Results</Link> ·{" "}
            <Link href={`/studies/${id}/judge`}>LLM judge</Link>
          </>
        )}
      </p>
      <StatusControls studyId={id} status={study.status} />

      <h2>Sample-size plan</h2>
      <p data-testid="study-plan">{study.plan.verdict}</p>
      <p className="muted">
        Assumes the student is as good as the teacher, a teacher mean of {study.plan.assumptions.teacherMean} on a 1–5
        scale, and a spread of student − (1 − margin) × teacher of {study.plan.assumptions.itemSd} between items,{" "}
        {study.plan.assumptions.residualSd} between annotators on one item and {study.plan.assumptions.annotatorSd} in
        annotators&apos; leaning; {study.plan.assumptions.comparisons} student × criterion comparisons, corrected
        together. Once ratings arrive, the results page plans from their own spread and says how many more ratings would
        settle each verdict.
      </p>

      <h2>Progress</h2>
      <p data-testid="study-counts">
        {monitor.ratings.toLocaleString("en-US")} ratings · {monitor.completePairs} of {monitor.pairs} pairs complete (k
        = {study.settings.annotatorsPerPair})
        {monitor.simulatedRatings > 0 &&
          ` · and ${monitor.simulatedRatings.toLocaleString("en-US")} simulated ratings (demo data, kept apart; they complete no pair)`}
      </p>
      <table>
        <caption className="visually-hidden">Annotators</caption>
        <thead>
          <tr>
            <th scope="col">Annotator</th>
            <th scope="col">Done</th>
            <th scope="col">Active</th>
            <th scope="col">Skipped</th>
            <th scope="col">Flagged</th>
            <th scope="col">Median time</th>
            <th scope="col">Gold accuracy</th>
            <th scope="col">Attention checks</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {monitor.annotators.map((a) => (
            <tr key={a.userId} data-testid={`annotator-${a.pseudonym}`}>
              <th scope="row">
                {a.name} <span className="muted">({a.pseudonym})</span>
              </th>
              <td data-testid="done">{a.done}</td>
              <td>{a.active}</td>
              <td>{a.skipped}</td>
              <td>{a.flagged}</td>
              <td>{a.medianActiveMs === null ? "–" : `${(a.medianActiveMs / 1000).toFixed(1)} s`}</td>
              <td>
                {a.goldAnswered ? (
                  <>
                    {pct(a.goldAccuracy)}{" "}
                    <span className="muted">
                      ({a.goldCorrect}/{a.goldAnswered})
                    </span>
                  </>
                ) : (
                  "none answered"
                )}
              </td>
              <td>{a.attentionAnswered ? `${a.attentionCorrect}/${a.attentionAnswered}` : "none answered"}</td>
              <td>
                {a.isPaused ? <>paused{a.pausedReason ? `: ${a.pausedReason}` : ""} </> : "working "}
                <ParticipantPauseButton studyId={id} userId={a.userId} isPaused={a.isPaused} name={a.name} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {study.status !== "DRAFT" && (
        <Suspense fallback={<p>Loading how far each verdict is from settled…</p>}>
          <Settling actor={actor} studyId={id} />
        </Suspense>
      )}
      {monitor.flags.length > 0 && (
        <>
          <h2>Flagged items</h2>
          <ul>
            {monitor.flags.map((f, i) => (
              <li key={i}>
                <q>{f.source}</q>: {f.reason} <span className="muted">({f.pseudonym})</span>
              </li>
            ))}
          </ul>
        </>
      )}

      <h2>Design</h2>
      <dl>
        <dt>Eval set</dt>
        <dd>{study.evalSet.name}</dd>
        <dt>Teacher</dt>
        <dd>
          {study.teacher.name} <span className="muted">(outputs {study.teacher.settingsKey?.slice(0, 12)})</span>
        </dd>
        <dt>Students</dt>
        <dd>{study.students.map((s) => `${s.name} (outputs ${s.settingsKey.slice(0, 12)})`).join(", ")}</dd>
        <dt>Instructions</dt>
        <dd>
          version {study.instructions?.version ?? "–"}, {study.instructions?.criteria.length ?? 0} criteria
        </dd>
        <dt>Pairs</dt>
        <dd>
          {study.counts.pairs} {study.status === "DRAFT" && "(built at launch)"}
        </dd>
      </dl>
      <div className="cards">
        <div className="panel">
          <h3>Settings</h3>
          <SettingsForm studyId={id} status={study.status} name={study.name} settings={study.settings} />
        </div>
        <div className="panel">
          <h3>Participants</h3>
          <ParticipantsForm
            studyId={id}
            annotators={annotators}
            selected={study.participants.map((p) => p.userId)}
            disabled={study.status === "CLOSED"}
          />
        </div>
      </div>

      <h2 id="people-title">People with access</h2>
      <p data-testid="study-owner">
        Owner: {owner ? `${owner.name} (${owner.email})` : "none (created before studies had owners; admins only)"}
      </p>
      <p className="muted">
        Besides its owner and admins: READ lets a researcher see the study, its results and exports; MANAGE also lets
        them change it. Only the owner and admins can add or remove people.
      </p>
      {collaborators.length === 0 ? (
        <p data-testid="no-collaborators">No one else has access.</p>
      ) : (
        <table aria-labelledby="people-title" data-testid="collaborators">
          <thead>
            <tr>
              <th scope="col">Researcher</th>
              <th scope="col">Email</th>
              <th scope="col">Access</th>
              {may.share && <th scope="col">Remove</th>}
            </tr>
          </thead>
          <tbody>
            {collaborators.map((c) => (
              <tr key={c.id}>
                <th scope="row">{c.name}</th>
                <td>{c.email}</td>
                <td>{may.share ? <CollaboratorAccessSelect studyId={id} person={c} /> : c.access}</td>
                {may.share && (
                  <td>
                    <RemoveCollaboratorButton studyId={id} person={c} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {may.share && (
        <div className="panel">
          <h3>Add a collaborator</h3>
          <AddCollaboratorForm studyId={id} choices={choices} />
        </div>
      )}

      {may.audit && (
        <>
          <h2 id="audit-title">Audit trail</h2>
          <p className="muted">The latest {audit.length === 50 ? "50 " : ""}changes and exports, newest first.</p>
          {audit.length === 0 ? (
            <p>Nothing recorded yet.</p>
          ) : (
            <table aria-labelledby="audit-title" data-testid="audit-trail">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {audit.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <time dateTime={e.at.toISOString()}>{utc(e.at)}</time>
                    </td>
                    <td>{e.actorEmail ?? "–"}</td>
                    <td>{ACTIONS[e.action] ?? e.action}</td>
                    <td>
                      <code>{change(e.before, e.after, emails)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
