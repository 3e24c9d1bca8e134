/**
 * Where a render is written, and the one rule that keeps `--out` safe: the render only ever replaces a
 * folder it made itself (it leaves a marker file in each, listing the files it wrote), creates one that does
 * not exist, or fills an empty one; everything else is refused before anything is touched: a file, a folder
 * with content it did not make, a render folder holding a file the render did not write (the user's, which
 * replacing the folder would delete), the project or any folder that contains it, a git work tree or a
 * git repository's own folder (.git), a symbolic link.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** The file every render folder carries: what makes it the render's to replace. */
export const RENDER_MARKER = ".eks-platform-render";
const MARKER_TEXT = "Written by `npm run render` (eks-platform). The next render replaces this whole folder.\n";
/** The marker's second part: the files the render wrote, one a line, relative to the folder, with "/". */
const FILES_HEADING = "Files it wrote (the next render refuses to replace this folder if it holds any other):\n";

export type OutputDecision = { readonly action: "create" | "fill" | "replace" } | { readonly refuse: string };

/** What writing a render to `outDir` would do, decided by reading only. */
export function outputDecision(outDir: string, projectRoot: string): OutputDecision {
  const target = path.resolve(outDir);
  const root = path.resolve(projectRoot);
  const up = path.relative(target, root);
  if (up === "" || (!up.startsWith("..") && !path.isAbsolute(up))) {
    return { refuse: target === root ? "is the project itself" : "contains the project" };
  }
  const gitFolder = gitFolderAround(target);
  if (gitFolder !== undefined) return { refuse: `is inside a git repository's own folder (${gitFolder})` };
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
  if (entries.includes(RENDER_MARKER)) {
    const foreign = filesNotWritten(target);
    if (foreign === undefined)
      return {
        refuse: `was made by an older render that did not list its files (${RENDER_MARKER}), so a file of yours in it cannot be told from the render's: delete the folder yourself`,
      };
    if (foreign.length > 0)
      return {
        refuse: `holds ${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? ` and ${foreign.length - 3} more` : ""}, which no render wrote; replacing the folder would delete ${foreign.length === 1 ? "it" : "them"}: move ${foreign.length === 1 ? "it" : "them"} out`,
      };
    return { action: "replace" };
  }
  if (entries.length === 0) return { action: "fill" };
  return { refuse: `is a folder with content an earlier render did not make (no ${RENDER_MARKER} in it)` };
}

/**
 * The git repository folder `target` is in or is (a `.git`, or a folder git keeps a repository in: a bare
 * repository, a worktree's folder under .git/worktrees), if any: writing there could corrupt the repository.
 */
function gitFolderAround(target: string): string | undefined {
  for (let dir = target; ; dir = path.dirname(dir)) {
    if (path.basename(dir) === ".git") return dir;
    const has = (name: string) => fs.existsSync(path.join(dir, name));
    if (has("HEAD") && ((has("objects") && has("refs")) || has("commondir"))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Files and folders in a render folder that the render did not write, by its marker's list (relative, "/");
 * undefined when the marker has no list (an older render's).
 */
function filesNotWritten(folder: string): string[] | undefined {
  const marker = fs.readFileSync(path.join(folder, RENDER_MARKER), "utf8");
  const cut = marker.indexOf(FILES_HEADING);
  if (cut < 0) return undefined;
  const written = new Set(
    marker
      .slice(cut + FILES_HEADING.length)
      .split("\n")
      .filter((line) => line !== ""),
  );
  // A folder is the render's when a file it wrote is in it.
  const folders = new Set(
    [...written].flatMap((file) =>
      file
        .split("/")
        .slice(0, -1)
        .map((_, i, parts) => parts.slice(0, i + 1).join("/")),
    ),
  );
  return fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .map((entry) => ({
      entry,
      rel: path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"),
    }))
    .filter(({ entry, rel }) => rel !== RENDER_MARKER && !(entry.isDirectory() ? folders.has(rel) : written.has(rel)))
    .map(({ rel }) => rel)
    .sort();
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
    // A plain mkdir, so the folder gets the mode the user's umask gives any folder (mkdtemp's is 0700, which
    // would keep the render from the group where the user shares the others).
    staging = `${target}.rendering-${randomBytes(6).toString("hex")}`;
    fs.mkdirSync(staging);
    const listed = [...files.keys()].map((file) => file.split(path.sep).join("/")).sort();
    fs.writeFileSync(path.join(staging, RENDER_MARKER), `${MARKER_TEXT}${FILES_HEADING}${listed.join("\n")}\n`);
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
