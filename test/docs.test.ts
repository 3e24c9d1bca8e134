/**
 * The README and docs/ run as written. Every `npm run render` command in a fenced `sh` block of README.md or
 * docs/*.md is parsed by the render's own option parser and its configuration run through the program; one in a
 * `console` block (after `$ `) is a refusal, and must print exactly the lines under it, exit 2, and write
 * nothing. A block's `pulumi config set` lines are the stack's configuration for the commands after them, and a
 * `pulumi preview` or `pulumi up` after them runs the program with it. A render `--against` the `--out` of an
 * earlier command in its block is rehearsed. A command without `--date` is judged on the tests' fixed day
 * (DEFAULT_RUN_DATE), as every other test is, so an example does not start failing on a day of the calendar.
 * The help texts the docs quote are the commands' own, and every relative link names a file (and heading) there.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { PULUMI_EKS } from "../components/resource-types";
import { render } from "../render/cli";
import { DEFAULT_RUN_DATE, PROJECT_ROOT, type ProgramRun, runProgram } from "../render/harness";
import { HELP, parseRenderArgs } from "../render/options";
import { failedOn, planChanges, planCounts } from "../render/rehearsal/plan";
import type { Change } from "../render/rehearsal/rehearse";
import { MUTATE_HELP } from "../scripts/mutate";

const DOCS = ["README.md", ...fs.readdirSync(path.join(PROJECT_ROOT, "docs")).map((f) => path.join("docs", f))]
  .filter((f) => f.endsWith(".md"))
  .sort();

const read = (file: string): string => fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");

interface Block {
  readonly file: string;
  /** The line of the opening fence, 1-based. */
  readonly line: number;
  readonly lang: string;
  readonly body: string;
  /** The prose after the block, up to the next one. */
  readonly after: string;
}

function fencedBlocks(file: string): Block[] {
  const lines = read(file).split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith("```"));
    assert.ok(end > i, `${file}:${i + 1}: a fence that never closes`);
    const next = lines.findIndex((l, j) => j > end && l.startsWith("```"));
    blocks.push({
      file,
      line: i + 1,
      lang: open[1],
      body: lines.slice(i + 1, end).join("\n"),
      after: lines.slice(end + 1, next < 0 ? undefined : next).join("\n"),
    });
    i = end;
  }
  return blocks;
}

/**
 * A line of shell as sh reads it, far enough for the docs: quotes, comments, `&&` between commands. Returns the
 * commands, each as its words.
 */
function shellCommands(line: string): string[][] {
  const commands: string[][] = [[]];
  let word: string | undefined;
  const end = () => {
    if (word !== undefined) commands[commands.length - 1].push(word);
    word = undefined;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'" || c === '"') {
      const close = line.indexOf(c, i + 1);
      assert.ok(close > i, `unclosed ${c} in: ${line}`);
      word = (word ?? "") + line.slice(i + 1, close);
      i = close;
    } else if (c === " " || c === "\t") {
      end();
    } else if (c === "#" && word === undefined) {
      break;
    } else if (c === "&" && line[i + 1] === "&") {
      end();
      commands.push([]);
      i++;
    } else {
      word = (word ?? "") + c;
    }
  }
  end();
  return commands.filter((c) => c.length > 0);
}

/** `npm run render -- <args>`: the args, or undefined for another command. */
function renderArgs(words: readonly string[]): string[] | undefined {
  if (words[0] !== "npm" || words[1] !== "run" || words[2] !== "render") return undefined;
  if (words.length === 3) return [];
  assert.equal(words[3], "--", `npm run render passes its options after --: ${words.join(" ")}`);
  return words.slice(4);
}

/** A block's lines with `\` continuations joined. */
function logicalLines(body: string): string[] {
  return body.replace(/\\\n\s*/g, " ").split("\n");
}

const where = (block: Block) => `${block.file}:${block.line}`;

/** What the documented commands did, for the assertions that read one example (the README's upgrade). */
const rehearsals = new Map<string, { readonly changes: Change[]; readonly after: string }>();

async function runShellBlock(block: Block): Promise<void> {
  const config: Record<string, string> = {};
  const rendered = new Map<string, ProgramRun>();
  for (const line of logicalLines(block.body)) {
    for (const words of shellCommands(line)) {
      if (words[0] === "pulumi" && words[1] === "config" && words[2] === "set") {
        const [key, value] = words.slice(3).filter((w) => !w.startsWith("--"));
        assert.ok(key && value !== undefined, `${where(block)}: pulumi config set needs a key and a value: ${line}`);
        config[key] = value;
        continue;
      }
      if (words[0] === "pulumi" && (words[1] === "up" || words[1] === "preview")) {
        if (Object.keys(config).length === 0) continue;
        await assert.doesNotReject(
          runProgram({ config }),
          `${where(block)}: ${words.join(" ")} with ${JSON.stringify(config)}`,
        );
        continue;
      }
      const args = renderArgs(words);
      if (!args) continue;
      const options = parseRenderArgs(args);
      const date = args.includes("--date") ? options.date : DEFAULT_RUN_DATE;
      const run = await runProgram({ stack: options.stack, config: { ...config, ...options.config }, date }).catch(
        (error: unknown) => {
          const problems = (error as { error?: { problems?: string[] } }).error?.problems;
          assert.fail(`${where(block)}: ${line}\n  is refused: ${problems?.join("\n  ") ?? String(error)}`);
        },
      );
      if (options.against) {
        const before = rendered.get(path.normalize(options.against));
        assert.ok(
          before,
          `${where(block)}: --against ${options.against}, which no command before it in the block made`,
        );
        const changes = planChanges(before, run);
        assert.deepEqual(failedOn(changes, options.failOn), [], `${where(block)}: the plan has what --fail-on names`);
        assert.ok(
          changes.some((c) => c.action !== "same"),
          `${where(block)}: the rehearsal changes nothing: the example shows no change`,
        );
        rehearsals.set(where(block), { changes, after: block.after });
      }
      rendered.set(path.normalize(options.out), run);
    }
  }
}

async function runConsoleBlock(block: Block, scratch: string): Promise<void> {
  const lines = block.body.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith("$ ")) {
      assert.fail(`${where(block)}: output before any command: ${lines[i]}`);
    }
    const expected: string[] = [];
    while (i + 1 < lines.length && !lines[i + 1].startsWith("$ ")) expected.push(lines[++i]);
    const command = lines[i - expected.length].slice(2);
    const [words, ...more] = shellCommands(command);
    assert.equal(more.length, 0, `${where(block)}: one command per $ line`);
    const args = renderArgs(words);
    assert.ok(args, `${where(block)}: a console block shows npm run render refusing, not: ${command}`);
    assert.ok(expected.length > 0, `${where(block)}: ${command}: no output shown`);
    // Judged on the tests' day unless it says its own; written, if at all, to the test's own folder.
    const out = path.join(scratch, `${path.basename(block.file, ".md")}-${block.line}-${i}`);
    const withoutOut = args.filter((a, j) => a !== "--out" && args[j - 1] !== "--out");
    const argv = [...withoutOut, ...(args.includes("--date") ? [] : ["--date", DEFAULT_RUN_DATE]), "--out", out];
    const stderr: string[] = [];
    const code = await render(
      argv,
      (l) => stderr.push(l),
      () => undefined,
      undefined,
      false,
    );
    assert.deepEqual(stderr, expected, `${where(block)}: ${command}`);
    assert.equal(code, 2, `${where(block)}: ${command}: exit code`);
    assert.ok(!fs.existsSync(out), `${where(block)}: ${command}: wrote ${out}`);
  }
}

describe("the README and docs/: examples run as written", () => {
  const blocks = DOCS.flatMap(fencedBlocks);
  // Where a refused example would write if it were not refused: the test's own folder.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-docs-"));
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));
  // Each block once, whichever test asks first.
  let shellRuns: Promise<void> | undefined;
  const ranShellBlocks = () => {
    shellRuns ??= (async () => {
      for (const block of blocks.filter((b) => b.lang === "sh")) await runShellBlock(block);
    })();
    return shellRuns;
  };

  it("every npm run render command in an sh block renders, with the stack configuration its block sets", async () => {
    await ranShellBlocks();
  });

  it("every npm run render command in a console block is refused with the lines shown, and writes nothing", async () => {
    for (const block of blocks.filter((b) => b.lang === "console")) await runConsoleBlock(block, scratch);
  });

  it("the examples are where the test reads them: no render command outside sh and console blocks but the help", () => {
    const elsewhere = blocks
      .filter((b) => b.lang !== "sh" && b.lang !== "console")
      .filter((b) => /^(\$ )?npm run render\b/m.test(b.body) && !b.body.startsWith("usage: npm run render"));
    assert.deepEqual(elsewhere.map(where), []);
    const commands = blocks
      .filter((b) => b.lang === "sh" || b.lang === "console")
      .flatMap((b) => logicalLines(b.body).flatMap((l) => shellCommands(l.replace(/^\$ /, ""))))
      .filter((words) => renderArgs(words) !== undefined);
    assert.ok(commands.length >= 10, `only ${commands.length} render commands found`);
  });

  it("the README's upgrade example is a real upgrade, one minor up, and the docs' counts are the plan's", async () => {
    await ranShellBlocks();
    const readme = fencedBlocks("README.md");
    const upgrade = readme.find((b) => b.lang === "sh" && /--against/.test(b.body));
    assert.ok(upgrade, "README.md: no upgrade example");
    const rehearsal = rehearsals.get(where(upgrade));
    assert.ok(rehearsal, "the README's upgrade example was rehearsed");
    const cluster = rehearsal.changes.find((c) => c.type === PULUMI_EKS.cluster);
    const version = cluster?.diff.find((d) => d.path === "version");
    assert.ok(version, "the upgrade changes the control plane's version");
    const [fromMinor, toMinor] = [version.before, version.after].map((v) => Number(String(v).split(".")[1]));
    assert.equal(toMinor, fromMinor + 1, `${String(version.before)} to ${String(version.after)}: one minor up`);
    assert.equal(cluster?.action, "update");
    // A rehearsal whose result the prose states ("prints `0 blocking, 0 replace, 0 delete, 4 update`").
    let stated = 0;
    for (const { changes, after } of rehearsals.values()) {
      const says = /prints `(\d+) blocking, (\d+) replace, (\d+) delete, (\d+) update`/.exec(after);
      if (!says) continue;
      stated++;
      const counts = planCounts(changes);
      assert.deepEqual(says.slice(1).map(Number), [counts.blocking, counts.replace, counts.delete, counts.update]);
    }
    assert.ok(stated >= 1, "docs/upgrades.md states the example's counts");
  });
});

describe("the README and docs/: what they quote and link is there", () => {
  it("docs/render.md quotes npm run render -- --help as the render prints it", () => {
    const quoted = fencedBlocks(path.join("docs", "render.md")).find((b) => b.body.startsWith("usage: npm run render"));
    assert.equal(quoted?.body, HELP);
  });

  it("docs/development.md quotes every option npm run mutate -- --help prints, as it prints it", () => {
    const quoted = fencedBlocks(path.join("docs", "development.md")).find((b) =>
      b.body.startsWith("usage: npm run mutate"),
    );
    assert.ok(quoted, "docs/development.md: no mutate usage");
    const help = MUTATE_HELP.split("\n");
    for (const line of quoted.body.split("\n").filter((l) => l !== "")) assert.ok(help.includes(line), line);
    for (const option of help.filter((l) => l.startsWith("  --"))) assert.ok(quoted.body.includes(option), option);
  });

  it("the README links every file in docs/", () => {
    const readme = read("README.md");
    const unlinked = DOCS.filter((f) => f !== "README.md" && !readme.includes(`](${f.split(path.sep).join("/")})`));
    assert.deepEqual(unlinked, []);
  });

  it("every relative link names a file that exists, and a heading it has", () => {
    // GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.
    const slug = (heading: string) =>
      heading
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");
    const anchors = (file: string) =>
      read(file)
        .split("\n")
        .filter((l) => /^#{1,6} /.test(l))
        .map((l) => slug(l.replace(/^#+ /, "")));
    const broken: string[] = [];
    for (const file of DOCS) {
      for (const [, target] of read(file).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [target_path, anchor] = target.split("#");
        const resolved = target_path === "" ? file : path.normalize(path.join(path.dirname(file), target_path));
        if (!fs.existsSync(path.join(PROJECT_ROOT, resolved))) broken.push(`${file}: ${target}`);
        else if (anchor && resolved.endsWith(".md") && !anchors(resolved).includes(anchor))
          broken.push(`${file}: ${target} (no such heading)`);
      }
    }
    assert.deepEqual(broken, []);
  });
});
