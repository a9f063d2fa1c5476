import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { prisma, type Db } from "@/lib/db";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { StartInput } from "./schemas";

function isUniqueViolation(err: unknown) {
  return (err as { code?: string })?.code === "P2002";
}

/**
 * A participant arrives through the public study link. The first visit with a platform id makes
 * them an account that cannot sign in (it only carries their assignments and ratings, under a
 * random pseudonym) and a place in the study; every later visit with the same id continues that
 * one participation, so the same id can never take the study twice.
 */
export async function startParticipation(input: z.input<typeof StartInput>, db: Db = prisma) {
  const q = StartInput.parse(input);
  const study = await db.study.findUnique({
    where: { crowdToken: q.token },
    select: { id: true, status: true, crowdSettings: true },
  });
  if (!study || !study.crowdSettings) throw new NotFoundError("This study link is not valid");
  const key = { studyId: study.id, platform: q.platform, platformId: q.platformId };
  const existing = await db.crowdParticipant.findUnique({
    where: { studyId_platform_platformId: key },
    select: { id: true },
  });
  if (existing) return { participantId: existing.id, isNew: false };
  if (study.status !== "LIVE")
    throw new ConflictError("This study is not taking participants at the moment. Please return it on the platform.");
  try {
    const id = await db.$transaction(async (tx) => {
      const pseudonym = `p-${randomBytes(6).toString("hex")}`;
      const user = await tx.user.create({
        data: {
          email: `${pseudonym}-${randomUUID()}@participants.invalid`,
          name: `Participant ${pseudonym}`,
          role: "ANNOTATOR",
          isActive: false,
          passwordHash: null,
          pseudonym,
        },
        select: { id: true },
      });
      await tx.studyParticipant.create({ data: { studyId: study.id, userId: user.id }, select: { userId: true } });
      const p = await tx.crowdParticipant.create({
        data: { ...key, userId: user.id, platformStudyId: q.platformStudyId, platformSessionId: q.platformSessionId },
        select: { id: true },
      });
      return p.id;
    });
    return { participantId: id, isNew: true };
  } catch (err) {
    // The same id arriving twice at once (two tabs): the other request made it; continue that one.
    if (!isUniqueViolation(err)) throw err;
    const p = await db.crowdParticipant.findUniqueOrThrow({
      where: { studyId_platform_platformId: key },
      select: { id: true },
    });
    return { participantId: p.id, isNew: false };
  }
}
