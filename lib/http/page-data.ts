import { forbidden, notFound } from "next/navigation";
import { ForbiddenError, NotFoundError } from "@/lib/errors";

/**
 * For pages: a use case's NotFound becomes the 404 page and Forbidden the 403 page, the same
 * statuses the error mapper gives route handlers; anything else reaches the 500 page.
 */
export async function pageData<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof NotFoundError) notFound();
    if (err instanceof ForbiddenError) forbidden();
    throw err;
  }
}
