/**
 * Where a render is written, and the one rule that keeps `--out` safe: the render only ever replaces a
 * folder it made itself (it leaves a marker file in each), creates one that does not exist, or fills an
 * empty one; everything else is refused before anything is touched: a file, a folder with content it did
 * not make, the project or any folder that contains it, a git work tree, a symbolic link.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The file every render folder carries: what makes it the render's to replace. */
export const RENDER_MARKER = ".eks-platform-render";
const MARKER_TEXT = "Written by `npm run render` (eks-platform). The next render replaces this whole folder.\n";

export type OutputDecision = { readonly action: "create" | "fill" | "replace" } | { readonly refuse: string };

/** What writing a render to `outDir` would do, decided by reading only. */
export function outputDecision(outDir: string, projectRoot: string): OutputDecision {
  const target = path.resolve(outDir);
  const root = path.resolve(projectRoot);
  const up = path.relative(target, root);
  if (up === "" || (!up.startsWith("..") && !path.isAbsolute(up))) {
    return { refuse: target === root ? "is the project itself" : "contains the project" };
  }
  let stats: fs.Stats;
  try {
    stats = fs.lstatSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { action: "create" };
    return { refuse: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  if (stats.isSymbolicLink()) return { refuse: "is a symbolic link" };
  if (!stats.isDirectory()) return { refuse: "is a file, not a folder" };
  const entries = fs.readdirSync(target);
  if (entries.includes(".git")) return { refuse: "is a git work tree" };
  if (entries.includes(RENDER_MARKER)) return { action: "replace" };
  if (entries.length === 0) return { action: "fill" };
  return { refuse: `is a folder with content an earlier render did not make (no ${RENDER_MARKER} in it)` };
}

/** Raised when the render may not or cannot write where it was asked: one line for the user. */
export class OutputRefused extends Error {}

/**
 * Writes a render's files to `outDir` as `outputDecision` allows. The files go to a fresh folder beside it
 * first, so a failure half-way leaves the earlier render as it was; only then is the earlier render (a
 * folder with the marker) removed and the new one moved into its place.
 */
export function writeRenderFolder(outDir: string, projectRoot: string, files: ReadonlyMap<string, string>): void {
  const target = path.resolve(outDir);
  const decision = outputDecision(target, projectRoot);
  if ("refuse" in decision)
    throw new OutputRefused(`--out ${outDir}: ${decision.refuse}; give a new folder, or one an earlier render made`);
  let staging: string | undefined;
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    staging = fs.mkdtempSync(`${target}.rendering-`);
    fs.writeFileSync(path.join(staging, RENDER_MARKER), MARKER_TEXT);
    for (const [file, text] of files) {
      const destination = path.join(staging, file);
      fs.mkdirSync(path.dirname(destination), { recursive: true });
      fs.writeFileSync(destination, text);
    }
    if (decision.action === "replace") fs.rmSync(target, { recursive: true });
    if (decision.action === "fill") fs.rmdirSync(target);
    fs.renameSync(staging, target);
  } catch (error) {
    if (staging !== undefined) fs.rmSync(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new OutputRefused(
      `--out ${outDir}: cannot write there (${code ?? (error instanceof Error ? error.message : String(error))})`,
    );
  }
}
