import { prisma, type DbOrTx } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { CrowdSettings } from "./schemas";

/** A participant with their study's crowd settings, found by id and the link's token together. */
export async function loadParticipant(args: { participantId: string; token: string }, db: DbOrTx = prisma) {
  const p = await db.crowdParticipant.findUnique({
    where: { id: args.participantId },
    select: {
      id: true,
      userId: true,
      platform: true,
      stage: true,
      checkFailures: true,
      study: { select: { id: true, name: true, status: true, crowdToken: true, crowdSettings: true } },
    },
  });
  if (!p || !p.study.crowdToken || p.study.crowdToken !== args.token || !p.study.crowdSettings)
    throw new NotFoundError("This study link is not valid, or your session belongs to another study");
  return { ...p, settings: CrowdSettings.parse(p.study.crowdSettings) };
}
export type LoadedParticipant = Awaited<ReturnType<typeof loadParticipant>>;

/** The participant as an annotator: the account made for them when they arrived. */
export function actorOf(p: LoadedParticipant) {
  return { id: p.userId, role: "ANNOTATOR" as const, email: "", name: "" };
}

/** Moves a participant on only from the stage they are in, so a double click or a replay does nothing. */
export async function moveStage(
  args: { participantId: string; from: string[]; to: string; finished?: boolean },
  db: DbOrTx = prisma,
) {
  const r = await db.crowdParticipant.updateMany({
    where: { id: args.participantId, stage: { in: args.from as never[] } },
    data: { stage: args.to as never, ...(args.finished ? { finishedAt: new Date() } : {}) },
  });
  return r.count > 0;
}
