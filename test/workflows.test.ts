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
const workflow = (file: string) => parseYaml(fs.readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", file), "utf8")) as { jobs: Record<string, Job> };
const WORKFLOWS = ["pull-request.yml", "deploy.yml"];

describe("workflows", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-workflows-"));
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("every job that assumes the AWS role runs only where the role is configured", () => {
    let guarded = 0;
    for (const file of WORKFLOWS) {
      for (const [name, job] of Object.entries(workflow(file).jobs)) {
        if (!job.steps.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"))) continue;
        assert.match(job.if ?? "", /vars\.AWS_ROLE_ARN != ''/, `${file} ${name} runs without AWS_ROLE_ARN`);
        guarded++;
      }
    }
    assert.equal(guarded, 2, "the preview and the update");
  });

  it("no workflow hard-codes a region; each reads the stack's aws:region with a step that works", () => {
    let read = 0;
    for (const file of WORKFLOWS) {
      const text = fs.readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", file), "utf8");
      assert.doesNotMatch(text, /\b(us|eu|ap|sa|ca|me|af|il|mx)-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d\b/, `${file} names a region`);
      for (const job of Object.values(workflow(file).jobs)) {
        const credentials = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
        if (!credentials) continue;
        const reader = job.steps.find((s) => s.id === "stack");
        assert.ok(reader?.run, `${file}: no step reads the stack's region`);
        assert.equal(credentials.with?.["aws-region"], "${{ steps.stack.outputs.region }}");
        // Run the step as GitHub would, for the dev stack, in the project.
        const output = path.join(scratch, `${file}.out`);
        execFileSync("bash", ["-c", reader.run], { cwd: PROJECT_ROOT, env: { ...process.env, STACK: "dev", GITHUB_OUTPUT: output } });
        const stackRegion = (parseYaml(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, string> }).config["aws:region"];
        assert.equal(fs.readFileSync(output, "utf8"), `region=${stackRegion}\n`);
        read++;
      }
    }
    assert.equal(read, 2);
  });

  it("the update waits behind the production environment, and says it needs required reviewers", () => {
    const up = workflow("deploy.yml").jobs.up;
    assert.equal(up.environment, "production");
    assert.match(fs.readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", "deploy.yml"), "utf8"), /required[\s#]+reviewers/);
  });
});

describe("README", () => {
  it("lists the stack outputs exactly as index.ts exports them", async () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    const line = readme.split("- Stack outputs (`index.ts`")[1]?.split("\n- ")[0] ?? "";
    const listed = [...line.matchAll(/`([a-zA-Z]+)`/g)].map((m) => m[1]).filter((name) => name !== "index");
    const exported = new Set([...Object.keys((await runProgram()).outputs), ...Object.keys((await runProgram({ config: { domain: "example.com" } })).outputs)]);
    assert.ok(exported.size >= 15);
    assert.deepEqual([...new Set(listed)].sort(), [...exported].sort());
  });

  it("names every tool its steps use, and the passphrase a local backend asks for", () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    const deploy = readme.split("## Deploy for real")[1] ?? "";
    const needs = deploy.split("### The CI role")[0];
    for (const tool of ["kubectl", "jq", "dig"]) {
      assert.match(readme, new RegExp(`\\b${tool}\\b`), `README never uses ${tool}`);
      assert.match(needs, new RegExp(`\`${tool}\``), `the prerequisites do not list ${tool}`);
    }
    assert.match(needs, /PULUMI_CONFIG_PASSPHRASE/);
  });
});
