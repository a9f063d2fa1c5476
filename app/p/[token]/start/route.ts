import { NextResponse } from "next/server";
import { PARTICIPANT_COOKIE, PARTICIPANT_COOKIE_PATH, signParticipant, startParticipation } from "@/lib/crowd";
import { toErrorBody } from "@/lib/http/error-mapper";

/**
 * GET: the public study link a crowd platform sends participants to. Binds the browser to the
 * participant (new, or the one this platform id already is: a reload or a second visit resumes)
 * with a signed cookie, then shows the study page without the ids in the address.
 */
export async function GET(req: Request, ctx: { params: Promise<{ token: string }> }) {
  const { token } = await ctx.params;
  const query = Object.fromEntries(new URL(req.url).searchParams);
  try {
    const { participantId } = await startParticipation({ ...query, token });
    const res = NextResponse.redirect(new URL(`/p/${encodeURIComponent(token)}`, req.url), 303);
    res.cookies.set(PARTICIPANT_COOKIE, signParticipant(participantId), {
      httpOnly: true,
      sameSite: "lax",
      path: PARTICIPANT_COOKIE_PATH,
      secure: new URL(req.url).protocol === "https:",
      maxAge: 7 * 24 * 3600,
    });
    return res;
  } catch (err) {
    const { status, body } = toErrorBody(err);
    return new NextResponse(
      `<!doctype html><meta charset="utf-8"><title>Study link</title><main style="font-family:system-ui;max-width:40rem;margin:3rem auto"><h1>This study link cannot be opened</h1><p>${body.error.message.replace(/[<>&"]/g, "")}</p></main>`,
      { status, headers: { "content-type": "text/html; charset=utf-8" } },
    );
  }
}
