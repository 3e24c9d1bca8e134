import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { render } from "../scripts/render";
import { PROJECT_ROOT } from "./harness";

interface Rendered {
  code: number;
  out: string;
  stderr: string[];
  files: Map<string, string>;
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-render-"));
let serial = 0;

async function renderTo(args: string[]): Promise<Rendered> {
  const out = path.join(scratch, `run-${++serial}`);
  const stderr: string[] = [];
  const code = await render(["--out", out, ...args], (l) => stderr.push(l), () => undefined);
  return { code, out, stderr, files: readTree(out) };
}

function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!fs.existsSync(dir)) return files;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name);
      files.set(path.relative(dir, full), fs.readFileSync(full, "utf8"));
    }
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Component type tokens declared in the source: every one must show up in the dev render. */
function declaredComponentTypes(): string[] {
  const types: string[] = [];
  for (const dir of ["components", "apps"]) {
    const root = path.join(PROJECT_ROOT, dir);
    for (const file of fs.readdirSync(root, { recursive: true }) as string[]) {
      if (!file.endsWith(".ts")) continue;
      const text = fs.readFileSync(path.join(root, file), "utf8");
      for (const match of text.matchAll(/super\(\s*"(eks-platform:[^"]+)"/g)) types.push(match[1]);
    }
  }
  return types.sort();
}

describe("offline render", async () => {
  // The dev stack has no domain; with one, every component is in play.
  const first = await renderTo(["--config", "domain=example.com"]);
  const second = await renderTo(["--config", "domain=example.com"]);
  const plainDev = await renderTo([]);

  const renderedTypes = (r: Rendered) => new Set((JSON.parse(r.files.get("resources.json") ?? "[]") as Array<{ type: string }>).map((x) => x.type));

  it("renders the dev stack with every component the source declares", () => {
    assert.equal(first.code, 0, first.stderr.join("\n"));
    const rendered = renderedTypes(first);
    const declared = declaredComponentTypes();
    assert.ok(declared.length >= 2);
    for (const type of declared) assert.ok(rendered.has(type), `${type} missing from the dev render`);
  });

  it("renders the dev stack as it is (no domain) without the DNS and TLS components", () => {
    assert.equal(plainDev.code, 0, plainDev.stderr.join("\n"));
    const rendered = renderedTypes(plainDev);
    for (const type of declaredComponentTypes()) {
      const dnsOnly = type === "eks-platform:platform:ExternalDns" || type === "eks-platform:tls:Certificate";
      assert.equal(rendered.has(type), !dnsOnly, type);
    }
  });

  it("writes resources.json in the documented schema", () => {
    const resources = JSON.parse(first.files.get("resources.json") ?? "[]") as Array<Record<string, unknown>>;
    const urns = new Set(resources.map((r) => r.urn));
    for (const r of resources) {
      assert.deepEqual(Object.keys(r).sort(), ["custom", "dependencies", "inputs", "name", "parent", "provider", "type", "urn"]);
      assert.ok(r.parent === null || urns.has(r.parent), `${String(r.urn)} has an unknown parent`);
      for (const dep of r.dependencies as string[]) assert.ok(urns.has(dep), `${String(r.urn)} depends on unknown ${dep}`);
    }
  });

  it("is deterministic: two renders are byte-identical but for the render-time line", () => {
    assert.deepEqual([...first.files.keys()], [...second.files.keys()]);
    for (const [file, text] of first.files) {
      if (file !== "summary.md") {
        assert.equal(second.files.get(file), text, `${file} differs between renders`);
        continue;
      }
      const a = text.split("\n");
      const b = (second.files.get(file) ?? "").split("\n");
      assert.equal(a.length, b.length);
      const differing = a.map((line, i) => (line === b[i] ? -1 : i)).filter((i) => i >= 0);
      for (const i of differing) assert.match(a[i], /^Rendered in \d+\.\d s\.$/, `summary.md line ${i + 1} differs`);
    }
  });

  it("never writes a secret in clear", () => {
    const everything = [...first.files.values()].join("\n");
    // The mocked cluster's kubeconfig (a secret output) must only appear masked.
    assert.doesNotMatch(everything, /mock\.eks\.amazonaws\.com/);
    assert.match(first.files.get("resources.json") ?? "", /"kubeconfig": "\[secret\]"/);
  });

  it("summarises node groups with their max pods, and a --config override changes them", async () => {
    assert.match(first.files.get("summary.md") ?? "", /\| general \| m7i\.large \| 110 \| 1465Mi \|/);
    const overridden = await renderTo(["--config", 'eks-platform:nodeInstanceTypes=["m5.large"]', "--config", "prefixDelegation=false"]);
    assert.equal(overridden.code, 0, overridden.stderr.join("\n"));
    assert.match(overridden.files.get("summary.md") ?? "", /\| general \| m5\.large \| 29 \| 574Mi \|/);
  });

  it("exits 2 on bad --config, one line per bad key on stderr, and writes nothing", async () => {
    const bad = await renderTo(["--config", "vpcCidr=10.0.0.0/8", "--config", "nodeCapacityType=CHEAP"]);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.length, 2, bad.stderr.join("\n"));
    assert.match(bad.stderr.find((l) => l.startsWith("eks-platform:vpcCidr:")) ?? "", /\/16 to \/20/);
    assert.match(bad.stderr.find((l) => l.startsWith("eks-platform:nodeCapacityType:")) ?? "", /ON_DEMAND/);
    assert.equal(fs.existsSync(bad.out), false, "a failed render wrote files");
  });

  it("names a region or instance type it has no fixture for, exit 2", async () => {
    const region = await renderTo(["--config", "aws:region=sa-east-1"]);
    assert.equal(region.code, 2);
    assert.match(region.stderr.join("\n"), /no fixture for region sa-east-1/);
    const type = await renderTo(["--config", 'nodeInstanceTypes=["c7i.large"]']);
    assert.equal(type.code, 2);
    assert.match(type.stderr.join("\n"), /eks-platform:nodeInstanceTypes: .*c7i\.large/);
  });

  it("rejects a malformed --config pair with usage", async () => {
    const bad = await renderTo(["--config", "novalue"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr.join("\n"), /expected key=value/);
  });
});
