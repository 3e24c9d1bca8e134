/**
 * The dev stack's URNs, pinned. Pulumi identifies a live resource by its URN (stack, project, parent
 * type chain, type, name), not by the file that declares it: a URN that changes is a delete and a create
 * on the next `pulumi up`. The pinned lists make every such change deliberate: `npm run urns:pin`
 * rewrites them, and a rename keeps the live resource only with an `aliases` entry naming the old URN.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { childUrn, type ProgramRun, parseUrn, runProgram } from "../render/harness";

/** The configurations whose URNs are pinned: the dev stack as it is, and with a domain and the web ACL (every component). */
export const PINNED_RUNS: ReadonlyArray<{ readonly file: string; readonly config: Readonly<Record<string, string>> }> =
  [
    { file: "dev.txt", config: {} },
    { file: "dev-with-domain.txt", config: { domain: "example.com", webAcl: "true" } },
  ];

export const URN_PIN_DIR = path.join(__dirname, "fixtures", "urns");

export function readPinnedUrns(file: string): string[] {
  return fs
    .readFileSync(path.join(URN_PIN_DIR, file), "utf8")
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"));
}

export function formatPinnedUrns(urns: readonly string[]): string {
  return `# Pinned URNs (test/urns.ts). Regenerate on purpose with: npm run urns:pin\n${[...urns].sort().join("\n")}\n`;
}

/**
 * Every URN each resource answers to: its own, the aliases it declares, and those it inherits from its
 * parent's (the engine re-parents a child under each of its parent's old URNs).
 */
export function answeringUrns(run: ProgramRun): Map<string, Set<string>> {
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  const answers = new Map<string, Set<string>>();
  const resolve = (urn: string): Set<string> => {
    const known = answers.get(urn);
    if (known) return known;
    const r = byUrn.get(urn);
    const set = new Set<string>([urn, ...(run.aliases.get(urn) ?? [])]);
    if (r?.parent && byUrn.has(r.parent)) {
      const { stack, project } = parseUrn(urn);
      for (const parentUrn of resolve(r.parent)) set.add(childUrn(stack, project, parentUrn, r.type, r.name));
    }
    answers.set(urn, set);
    return set;
  };
  for (const r of run.resources) resolve(r.urn);
  return answers;
}

/** How a run's URNs differ from a pinned list: pinned URNs nothing answers to, and URNs not pinned. */
export function compareWithPinned(run: ProgramRun, pinned: readonly string[]): { lost: string[]; unpinned: string[] } {
  const answered = new Set([...answeringUrns(run).values()].flatMap((set) => [...set]));
  const current = new Set(run.resources.map((r) => r.urn));
  const pinnedSet = new Set(pinned);
  return {
    lost: pinned.filter((urn) => !answered.has(urn)),
    unpinned: [...current].filter((urn) => !pinnedSet.has(urn)).sort(),
  };
}

if (require.main === module) {
  (async () => {
    for (const pin of PINNED_RUNS) {
      const run = await runProgram({ config: pin.config });
      fs.writeFileSync(path.join(URN_PIN_DIR, pin.file), formatPinnedUrns(run.resources.map((r) => r.urn)));
      process.stdout.write(
        `pinned ${run.resources.length} URNs in ${path.relative(process.cwd(), path.join(URN_PIN_DIR, pin.file))}\n`,
      );
    }
  })().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
