import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as product_types from "../components/resource-types";
import * as pack from "../policy/rules/resource-types";
import { PROJECT_ROOT, runProgram } from "../render/harness";

/** Folders that are not the project's own: installed, generated, or version control. */
const NOT_OURS = new Set(["node_modules", ".git", "out", "bin", ".pulumi"]);

/** The project's folders (top level and one below), as `a/` or `a/b/`; `./` for the root. */
function projectFolders(): string[] {
  const folders = ["./"];
  for (const top of fs.readdirSync(PROJECT_ROOT, { withFileTypes: true })) {
    if (!top.isDirectory() || NOT_OURS.has(top.name)) continue;
    folders.push(`${top.name}/`);
    for (const sub of fs.readdirSync(path.join(PROJECT_ROOT, top.name), { withFileTypes: true })) {
      if (sub.isDirectory() && !NOT_OURS.has(sub.name)) folders.push(`${top.name}/${sub.name}/`);
    }
  }
  return folders.sort();
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(PROJECT_ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Every relative module a file imports, resolved to a path under the project. */
function importedPaths(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from|import|require\()\s*"(\.{1,2}\/[^"]*)"/g)].map((m) =>
    path.resolve(path.dirname(file), m[1]),
  );
}

describe("layout: one home per concern", () => {
  it("no component imports config/: components get what they need through their Args", () => {
    const config = path.join(PROJECT_ROOT, "config");
    const offenders = sourceFiles("components").filter((file) =>
      importedPaths(file).some((p) => p === config || p.startsWith(`${config}${path.sep}`)),
    );
    assert.deepEqual(
      offenders.map((f) => path.relative(PROJECT_ROOT, f)),
      [],
    );
  });

  it("config/ keeps one concern per file, each under 400 lines", () => {
    const files = sourceFiles("config");
    assert.ok(files.length >= 8, `${files.length} files`);
    for (const file of files)
      assert.ok(
        fs.readFileSync(file, "utf8").split("\n").length < 400,
        `${path.relative(PROJECT_ROOT, file)} has 400 lines or more`,
      );
    assert.ok(!fs.existsSync(path.join(PROJECT_ROOT, "config.ts")), "config.ts is gone: config/ holds it");
  });

  it("type tokens are written in one module: no product file spells one out but components/resource-types.ts (and the policy pack's copy, held equal to it)", () => {
    const token = /"(?:aws|kubernetes|eks|eks-platform|pulumi|command):[A-Za-z0-9./_-]+:[A-Za-z0-9]+"/g;
    const home = path.join(PROJECT_ROOT, "components", "resource-types.ts");
    const packCopy = path.join(PROJECT_ROOT, "policy", "rules", "resource-types.ts");
    const product = fs
      .readdirSync(PROJECT_ROOT, { withFileTypes: true })
      .filter((e) => !NOT_OURS.has(e.name) && e.name !== "test" && !e.name.startsWith("."))
      .flatMap((e) =>
        e.isDirectory() ? sourceFiles(e.name) : e.name.endsWith(".ts") ? [path.join(PROJECT_ROOT, e.name)] : [],
      );
    const spelled = product
      .filter((file) => file !== home && file !== packCopy)
      .flatMap((file) =>
        [...fs.readFileSync(file, "utf8").matchAll(token)].map((m) => `${path.relative(PROJECT_ROOT, file)}: ${m[0]}`),
      );
    assert.deepEqual(spelled, []);
    for (const value of Object.values(pack.AWS_CHECKED_ONLY))
      assert.ok(!Object.values(product_types.AWS).includes(value as never), `${value} is declared: move it to AWS`);
    // AWS_CHECKED_ONLY names types the program does not declare (the pack checks them should a team add one).
    for (const [group, entries] of Object.entries(pack).filter(([g]) => g !== "AWS_CHECKED_ONLY")) {
      for (const [key, value] of Object.entries(entries)) {
        assert.equal(
          value,
          (product_types as Record<string, Record<string, string>>)[group]?.[key],
          `the pack's ${group}.${key}`,
        );
      }
    }
  });

  it("every type the program declares, with or without its options, is named in components/resource-types.ts", async () => {
    const named = new Set<string>(Object.values(product_types).flatMap((group) => Object.values(group)));
    const runs = await Promise.all([runProgram(), runProgram({ config: { domain: "example.com", webAcl: "true" } })]);
    const declared = new Set(runs.flatMap((run) => run.resources.map((r) => r.type)));
    assert.ok(declared.size >= 35, `${declared.size} types`);
    assert.deepEqual([...declared].filter((type) => !named.has(type)).sort(), []);
  });

  it("every field of every component's and pure function's Args is documented", () => {
    const undocumented: string[] = [];
    let fields = 0;
    for (const file of ["components", "apps", "lab"].flatMap(sourceFiles)) {
      const lines = fs.readFileSync(file, "utf8").split("\n");
      let inside = false;
      lines.forEach((line, i) => {
        if (/^export interface \w+Args\b/.test(line)) inside = true;
        else if (inside && line.startsWith("}")) inside = false;
        else if (inside && /^ {2}readonly \w+\??:/.test(line)) {
          fields++;
          if (!lines[i - 1].trim().endsWith("*/"))
            undocumented.push(`${path.relative(PROJECT_ROOT, file)}:${i + 1} ${line.trim()}`);
        }
      });
    }
    assert.ok(fields >= 140, `${fields} fields`);
    assert.deepEqual(undocumented, []);
  });

  it("no product file imports from test/: the tests import the product, never the reverse", () => {
    const testDir = path.join(PROJECT_ROOT, "test");
    const productFiles = fs
      .readdirSync(PROJECT_ROOT, { withFileTypes: true })
      .filter((e) => !NOT_OURS.has(e.name) && e.name !== "test" && !e.name.startsWith("."))
      .flatMap((e) =>
        e.isDirectory() ? sourceFiles(e.name) : e.name.endsWith(".ts") ? [path.join(PROJECT_ROOT, e.name)] : [],
      );
    // The render engine, the program and verify are all product: a floor on the count keeps the scan honest.
    assert.ok(productFiles.length >= 60, `only ${productFiles.length} product files found`);
    const offenders = productFiles.flatMap((file) =>
      importedPaths(file)
        .filter((p) => p === testDir || p.startsWith(`${testDir}${path.sep}`))
        .map((p) => `${path.relative(PROJECT_ROOT, file)} imports ${path.relative(PROJECT_ROOT, p)}`),
    );
    assert.deepEqual(offenders, []);
  });

  it("one ComponentResource per file under components/ and apps/", () => {
    for (const file of [...sourceFiles("components"), ...sourceFiles("apps")]) {
      const classes = [
        ...fs
          .readFileSync(file, "utf8")
          .matchAll(/class (\w+) extends (?:pulumi\.ComponentResource|ControllerRelease)\b/g),
      ];
      assert.ok(
        classes.length <= 1,
        `${path.relative(PROJECT_ROOT, file)} declares ${classes.map((c) => c[1]).join(", ")}`,
      );
    }
  });

  it("docs/architecture.md's folder map lists exactly the folders the project has", () => {
    const doc = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "architecture.md"), "utf8");
    const section = doc.split("## Folder map")[1]?.split("\n## ")[0];
    assert.ok(section, "docs/architecture.md has no '## Folder map' section");
    const listed = [...section.matchAll(/^\| `([^`]+\/)` \|/gm)].map((m) => m[1]).sort();
    assert.deepEqual(listed, projectFolders());
  });
});
