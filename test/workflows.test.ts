/**
 * The GitHub workflows: they run only where their credentials exist, take the region from the stack's own
 * configuration (never a copy), and the step that reads it works on this project's stack files.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { PROJECT_ROOT, runProgram } from "../render/harness";
import { parseRenderArgs } from "../render/options";

interface Step {
  readonly id?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Record<string, string>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly if?: string;
  readonly environment?: string;
  readonly steps: readonly Step[];
}
const workflow = (file: string) =>
  parseYaml(fs.readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", file), "utf8")) as {
    jobs: Record<string, Job>;
  };
const WORKFLOWS = ["pull-request.yml", "deploy.yml", "refresh.yml"];
/** The role each workflow assumes: pull requests the read-only preview role, main the deploy role, the refresh its read-only one. */
const ROLE_VARIABLE: Record<string, string> = {
  "pull-request.yml": "AWS_PREVIEW_ROLE_ARN",
  "deploy.yml": "AWS_DEPLOY_ROLE_ARN",
  "refresh.yml": "REFRESH_ROLE_ARN",
};

describe("workflows", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-workflows-"));
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("every job that assumes the AWS role runs only where the role is configured", () => {
    let guarded = 0;
    for (const file of WORKFLOWS) {
      for (const [name, job] of Object.entries(workflow(file).jobs)) {
        if (!job.steps.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"))) continue;
        const variable = ROLE_VARIABLE[file];
        assert.match(job.if ?? "", new RegExp(`vars\\.${variable} != ''`), `${file} ${name} runs without ${variable}`);
        const credentials = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
        assert.equal(credentials?.with?.["role-to-assume"], `\${{ vars.${variable} }}`, `${file} ${name}`);
        guarded++;
      }
    }
    assert.equal(guarded, 3, "the preview, the update and the refresh");
  });

  it("no workflow hard-codes a region; each reads the stack's aws:region with a step that works", () => {
    let read = 0;
    for (const file of WORKFLOWS) {
      const text = fs.readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", file), "utf8");
      assert.doesNotMatch(
        text,
        /\b(us|eu|ap|sa|ca|me|af|il|mx)-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d\b/,
        `${file} names a region`,
      );
      for (const job of Object.values(workflow(file).jobs)) {
        const credentials = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
        if (!credentials) continue;
        const reader = job.steps.find((s) => s.id === "stack");
        assert.ok(reader?.run, `${file}: no step reads the stack's region`);
        assert.equal(credentials.with?.["aws-region"], "${{ steps.stack.outputs.region }}");
        // Run the step as GitHub would, for the dev stack, in the project.
        const output = path.join(scratch, `${file}.out`);
        execFileSync("bash", ["-c", reader.run], {
          cwd: PROJECT_ROOT,
          env: { ...process.env, STACK: "dev", GITHUB_OUTPUT: output },
        });
        const stackRegion = (
          parseYaml(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.dev.yaml"), "utf8")) as {
            config: Record<string, string>;
          }
        ).config["aws:region"];
        assert.equal(fs.readFileSync(output, "utf8"), `region=${stackRegion}\n`);
        read++;
      }
    }
    assert.equal(read, 3);
  });

  it("the update waits behind the production environment, and says it needs required reviewers", () => {
    const up = workflow("deploy.yml").jobs.up;
    assert.equal(up.environment, "production");
    assert.match(
      fs.readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", "deploy.yml"), "utf8"),
      /required[\s#]+reviewers/,
    );
  });
});

describe("README", () => {
  it("docs/architecture.md lists the stack outputs exactly as index.ts exports them", async () => {
    const doc = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "architecture.md"), "utf8");
    const line = doc.split("- Stack outputs (`index.ts`")[1]?.split(/\n- |\n\n/)[0] ?? "";
    const listed = [...line.matchAll(/`([a-zA-Z]+)`/g)].map((m) => m[1]).filter((name) => name !== "index");
    const exported = new Set([
      ...Object.keys((await runProgram()).outputs),
      ...Object.keys((await runProgram({ config: { domain: "example.com" } })).outputs),
    ]);
    assert.ok(exported.size >= 15);
    assert.deepEqual([...new Set(listed)].sort(), [...exported].sort());
  });

  it("names every tool its steps use, and the passphrase a local backend asks for", () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    const deploy = readme.split("## Deploy for real")[1]?.split("\n## ")[0] ?? "";
    // What a deploy needs comes before its first command.
    const needs = deploy.split("```")[0];
    const docs = fs
      .readdirSync(path.join(PROJECT_ROOT, "docs"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => fs.readFileSync(path.join(PROJECT_ROOT, "docs", f), "utf8"));
    const steps = [deploy.slice(needs.length), ...docs].join("\n");
    for (const tool of ["kubectl", "jq", "dig"]) {
      assert.match(steps, new RegExp(`\\b${tool}\\b`), `no step uses ${tool}`);
      assert.match(needs, new RegExp(`\`${tool}\``), `the prerequisites do not list ${tool}`);
    }
    assert.match(needs, /PULUMI_CONFIG_PASSPHRASE/);
  });
});

describe("workflows: the pull request's rehearsal", () => {
  const jobs = workflow("pull-request.yml").jobs as Record<
    string,
    Job & { permissions?: Record<string, string>; env?: Record<string, string> }
  >;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-rehearsal-"));
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("renders the base commit with its own code, rehearses the head against it, gates on blocking findings, and needs no credentials", () => {
    const job = jobs.rehearse;
    assert.ok(job, "a rehearse job");
    assert.equal(job.if, undefined, "it runs for every pull request, forks included");
    assert.ok(
      !job.steps.some((s) => s.uses?.startsWith("aws-actions/") || s.uses?.startsWith("pulumi/")),
      "no cloud credentials, no Pulumi CLI",
    );
    assert.equal(job.permissions, undefined, "the workflow's read-only permissions");
    const base = job.steps.find((s) => s.id === "base")?.run ?? "";
    assert.match(base, /git worktree add "\$RUNNER_TEMP\/base" "\$\{\{ github\.event\.pull_request\.base\.sha \}\}"/);
    assert.match(
      base,
      /cd "\$RUNNER_TEMP\/base"\nnpm ci[^\n]*\nnpm run render -- --stack "\$STACK" --out out\/base-render/,
    );
    const rehearse = job.steps.find((s) => s.run?.includes("--against"))?.run ?? "";
    const args = rehearse
      .replace(/^npm run render -- /, "")
      .replaceAll('"', "")
      .replaceAll("$STACK", "dev")
      .replaceAll("$RUNNER_TEMP", scratch)
      .split(/\s+/);
    assert.deepEqual(parseRenderArgs(args), {
      stack: "dev",
      out: "out/render",
      config: {},
      date: parseRenderArgs([]).date,
      against: `${scratch}/base/out/base-render`,
      failOn: ["blocking"],
    });
    const summary = job.steps.find((s) => s.run?.includes("GITHUB_STEP_SUMMARY"))?.run ?? "";
    assert.match(summary, /cat out\/render\/changes\.md >> "\$GITHUB_STEP_SUMMARY"/);
  });

  it("comments only where the token may write, one comment per pull request, edited on each push", () => {
    const job = jobs["rehearsal-comment"];
    assert.match(job.if ?? "", /github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
    assert.deepEqual(job.permissions, { contents: "read", "pull-requests": "write" });
    const script = job.steps.find((s) => s.run?.includes("gh api"))?.run ?? "";
    // Run the step as GitHub would, with a gh that answers from a file and records what it is asked.
    const bin = path.join(scratch, "bin");
    fs.mkdirSync(bin, { recursive: true });
    const calls = path.join(scratch, "calls");
    fs.writeFileSync(
      path.join(bin, "gh"),
      `#!/usr/bin/env bash\nmkdir -p "${calls}"\nprintf '%s' "$*" > "${calls}/$(ls "${calls}" | wc -l)"\nif [ "$2" = "repos/o/r/issues/7/comments" ] && [ "$3" = "--paginate" ]; then cat "${scratch}/existing"; fi\n`,
      { mode: 0o755 },
    );
    const step = (existing: string, changes: string) => {
      fs.writeFileSync(path.join(scratch, "existing"), existing);
      fs.writeFileSync(path.join(scratch, "changes.md"), changes);
      fs.rmSync(calls, { recursive: true, force: true });
      execFileSync("bash", ["-c", script], {
        cwd: scratch,
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, GH_TOKEN: "t", PR: "7", REPO: "o/r" },
      });
      // The first call lists the comments; the rest is what it did.
      return fs
        .readdirSync(calls)
        .sort((a, b) => Number(a) - Number(b))
        .slice(1)
        .map((f) => fs.readFileSync(path.join(calls, f), "utf8"));
    };
    const [created] = step("", "# Changes\n");
    assert.match(created, /^api repos\/o\/r\/issues\/7\/comments -f body=<!-- eks-platform rehearsal -->\n?# Changes/);
    const [edited] = step("42\n", "# Changes\n");
    assert.match(edited, /^api -X PATCH repos\/o\/r\/issues\/comments\/42 -f body=<!-- eks-platform rehearsal -->/);
    const [long] = step("", `${"→".repeat(30000)}\n`);
    assert.match(long, /\(cut here: the whole plan is in the rehearse job's summary\)$/);
  });

  it("the weekly refresh renders before it asks AWS, rehearses after, and proposes only data/aws/ when a fact changed", () => {
    const job = workflow("refresh.yml").jobs.refresh;
    const at = (pattern: RegExp) => job.steps.findIndex((s) => pattern.test(s.run ?? ""));
    const [before, refresh, tests, rehearse, propose] = [
      at(/npm run render -- --stack "\$STACK" --out out\/before$/),
      at(/npm run refresh/),
      at(/^npm test$/),
      at(/--out out\/after --against out\/before/),
      at(/gh pr create/),
    ];
    assert.ok(
      before >= 0 && before < refresh && refresh < tests && tests < rehearse && rehearse < propose,
      String([before, refresh, tests, rehearse, propose]),
    );
    assert.match(job.steps[refresh].run ?? "", /pipefail/, "a failed refresh fails the step through tee");
    const script = job.steps[propose].run ?? "";
    assert.match(
      script,
      /^if git diff --quiet -- data\/aws; then .*exit 0; fi/m,
      "no pull request when nothing changed",
    );
    assert.deepEqual(script.match(/git add .*/g), ["git add data/aws"]);
  });

  it("pins every action by a full commit SHA with its release in a comment, and grants a job no permission it does not use", () => {
    for (const file of WORKFLOWS) {
      const text = fs.readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", file), "utf8");
      const uses = [...text.matchAll(/^\s*-?\s*uses:\s*(.+)$/gm)].map((m) => m[1].trim());
      assert.ok(uses.length > 0, file);
      for (const use of uses) assert.match(use, /^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, `${file}: ${use}`);
      const parsed = parseYaml(text) as {
        permissions?: Record<string, string>;
        jobs: Record<string, Job & { permissions?: Record<string, string> }>;
      };
      assert.deepEqual(parsed.permissions, { contents: "read" }, `${file}: the workflow's default is read-only`);
      for (const [name, job] of Object.entries(parsed.jobs)) {
        const granted = job.permissions ?? {};
        const assumesRole = job.steps.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
        assert.equal(granted["id-token"] === "write", assumesRole, `${file} ${name}: id-token only to assume a role`);
        for (const [scope, level] of Object.entries(granted)) {
          if (level !== "write" || scope === "id-token") continue;
          // Writes only where a step uses them: a comment or pull request (gh, pulumi/actions' comment), a push.
          const uses = job.steps.some(
            (s) => /\bgh (api|pr)\b|git push/.test(s.run ?? "") || String(s.with?.["comment-on-pr"]) === "true",
          );
          assert.ok(uses, `${file} ${name}: ${scope}: write unused`);
        }
      }
    }
  });
});
