import type { Metadata } from "next";
import { requirePageActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { listSystems } from "@/lib/systems";
import { AddTeacherForm, EditTeacherForm, PriceForm, RescanButton } from "./system-forms";

export const metadata: Metadata = { title: "Systems" };

function size(bytes: number | null) {
  if (bytes === null) return "";
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(2)} MB`;
}

export default async function SystemsPage() {
  const actor = await requirePageActor("systems:read", "/systems");
  const systems = await listSystems(actor);
  const canManage = can(actor.role, "systems:manage");
  return (
    <section aria-labelledby="sys-title">
      <h1 id="sys-title">Systems</h1>
      <p className="muted">
        Teachers are OpenAI-compatible chat endpoints or imported outputs; students are ONNX models found in{" "}
        <code>models/</code> or imported outputs.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Kind</th>
            <th scope="col">Parameters</th>
            <th scope="col">Size on disk</th>
            <th scope="col">Details</th>
            <th scope="col">Price per 1M tokens (input / output); ONNX students: per CPU-hour</th>
          </tr>
        </thead>
        <tbody>
          {systems.map((s) => (
            <tr key={s.id}>
              <td>{s.name}</td>
              <td>{s.role.toLowerCase()}</td>
              <td>{{ LLM_API: "LLM endpoint", ONNX_MODEL: "ONNX model", EXTERNAL: "imported outputs" }[s.kind]}</td>
              <td>{s.parameterCount?.toLocaleString("en") ?? ""}</td>
              <td>{size(s.sizeOnDiskBytes)}</td>
              <td>
                {s.kind === "LLM_API" && (
                  <>
                    {s.modelName} at {s.baseUrl}; API key {s.hasApiKey ? "set" : "not set"}
                  </>
                )}
                {s.kind === "ONNX_MODEL" && (
                  <>
                    models/{s.modelDir} — {s.description}
                  </>
                )}
                {s.kind === "EXTERNAL" && s.description}
              </td>
              <td>
                {canManage ? (
                  <PriceForm system={s} />
                ) : (
                  <>
                    {s.inputPricePerMTokens !== null || s.outputPricePerMTokens !== null ? (
                      `${s.inputPricePerMTokens ?? "–"} / ${s.outputPricePerMTokens ?? "–"}`
                    ) : (
                      <span className="muted">not set</span>
                    )}
                    {s.kind === "ONNX_MODEL" && `; ${s.pricePerCpuHour ?? "not set"} per CPU-hour`}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {canManage &&
        systems
          .filter((s) => s.kind === "LLM_API")
          .map((s) => (
            <details key={s.id} className="panel" style={{ marginTop: "1rem" }}>
              <summary>Edit {s.name}</summary>
              <EditTeacherForm system={s} />
            </details>
          ))}
      {canManage && (
        <div className="cards" style={{ marginTop: "1.5rem" }}>
          <div className="panel">
            <h2>Add a teacher LLM</h2>
            <AddTeacherForm />
          </div>
          <div className="panel">
            <h2>Student models</h2>
            <p>
              Export a model into <code>models/&lt;name&gt;/</code> (see the README), then rescan.
            </p>
            <RescanButton />
          </div>
        </div>
      )}
    </section>
  );
}
