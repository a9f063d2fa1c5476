/**
 * Another process polling an import's progress, as a second web process serving the upload page's
 * poll would (import-eval-set.int.test.ts). Prints the progress as JSON, or the error's message.
 * usage: DATABASE_URL=... node --import tsx read-import-progress.ts <actor as JSON> <upload id>
 */
import { getImportProgress } from "../import-progress";

const [actor, uploadId] = process.argv.slice(2);
try {
  console.log(JSON.stringify(await getImportProgress(JSON.parse(actor), uploadId)));
} catch (err) {
  console.log(JSON.stringify({ error: err instanceof Error ? err.message : String(err) }));
}
process.exit(0);
