/** Every file of a render, relative to the output folder: resources.json, render.json, manifests/, summary.md and its detail pages, ci-roles/. */
import * as path from "node:path";
import type { ChartExpansion } from "./charts";
import { ciRoleFiles } from "./ci-roles";
import { type ProgramRun, stackConfig } from "./harness";
import { manifestFiles } from "./manifests";
import type { RenderOptions } from "./options";
import { detailFiles, summary } from "./summary/summary";

/**
 * The stack a render stands for (project, stack, the AWS provider's region, partition and account): what a
 * later render's rehearsal compares before pairing resources.
 */
export const RENDER_IDENTITY_FILE = "render.json";

/** Every file of a render, relative to the output folder. */
export function renderFiles(run: ProgramRun, options: RenderOptions, charts: ChartExpansion): Map<string, string> {
  const files = new Map<string, string>();
  files.set("resources.json", `${JSON.stringify(run.resources, null, 2)}\n`);
  files.set(RENDER_IDENTITY_FILE, `${JSON.stringify(run.identity, null, 2)}\n`);
  for (const [file, text] of manifestFiles(run, charts)) files.set(path.join("manifests", file), text);
  const context = { run, options, charts, config: stackConfig(options.stack, options.config) };
  files.set("summary.md", summary(context));
  for (const [file, text] of detailFiles(context)) files.set(file, text);
  for (const [file, text] of ciRoleFiles(run)) files.set(file, text);
  return files;
}
