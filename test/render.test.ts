import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { chartArchivePath, chartCrds, readChartArchive } from "../charts/chart-archive";
import { EXTERNAL_DNS_CHART } from "../components/external-dns/values";
import { KARPENTER_CHART } from "../components/karpenter/values";
import { LOAD_BALANCER_CONTROLLER_CHART } from "../components/load-balancer-controller/values";
import { AWS, COMPONENTS, KUBERNETES, PULUMI_EKS } from "../components/resource-types";
import { APP_IMAGE_KEYS, ConfigError } from "../config";
import zonesData from "../data/aws/availability-zones.json";
import { AWS_REGIONS, unknownRegion } from "../render/aws/answers";
import { render } from "../render/cli";
import { UNAVOIDABLE_CHAIN } from "../render/critical-path";
import { DEFAULT_RUN_DATE, PROJECT_ROOT, runProgram } from "../render/harness";
import { HelmUnavailable } from "../render/helm";
import type { Change } from "../render/rehearsal/rehearse";
import { readStackFiles } from "../render/stack-files";
import { parseImage, pinning, unpinnedReason } from "../render/summary/images";
import { renderReport } from "../scripts/bench";

interface Rendered {
  code: number;
  out: string;
  stderr: string[];
  stdout: string[];
  files: Map<string, string>;
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-render-"));
// Tests leave nothing behind.
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
let serial = 0;

/** Renders in process; a configuration the harness has run already is not run again unless `fresh` (the determinism test). */
async function renderTo(args: string[], helm?: Parameters<typeof render>[3], fresh = false): Promise<Rendered> {
  const out = path.join(scratch, `run-${++serial}`);
  const stderr: string[] = [];
  const stdout: string[] = [];
  // A fixed day unless the test gives one: what the render says must not change with the day it runs.
  const date = args.includes("--date") ? [] : ["--date", DEFAULT_RUN_DATE];
  const code = await render(
    ["--out", out, ...date, ...args],
    (l) => stderr.push(l),
    (l) => stdout.push(l),
    helm,
    fresh,
  );
  return { code, out, stderr, stdout, files: readTree(out) };
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
  for (const dir of ["components", "apps", "lab"]) {
    const root = path.join(PROJECT_ROOT, dir);
    for (const file of fs.readdirSync(root, { recursive: true }) as string[]) {
      if (!file.endsWith(".ts")) continue;
      const text = fs.readFileSync(path.join(root, file), "utf8");
      for (const match of text.matchAll(/super\(\s*COMPONENTS\.(\w+)/g))
        types.push(COMPONENTS[match[1] as keyof typeof COMPONENTS]);
    }
  }
  return types.sort();
}

/** The body of one `## ` section of summary.md. */
function section(summary: string, title: string): string {
  const body = summary.split(`\n## ${title}\n`)[1]?.split("\n## ")[0];
  assert.ok(body, `summary.md has no "## ${title}" section`);
  return body;
}

/** The `| item | count | ... |` row of the bill of materials (its page, bill-of-materials.md) whose item starts so. */
function billCount(page: string, item: string): string {
  const row = page.split("\n").find((line) => line.startsWith(`| ${item}`));
  assert.ok(row, `no bill-of-materials row for ${item}`);
  return row.split("|")[2].trim();
}

const helmRuns = process.platform === "linux" && process.arch === "x64";

describe("offline render", async () => {
  // The dev stack has no domain and no web ACL; with both, every component is in play.
  // A domain and the web ACL: every component but Spot's service-linked role (a run of its own below).
  const EVERYTHING_ON = ["--config", "domain=example.com", "--config", "webAcl=true"];
  const first = await renderTo(EVERYTHING_ON);
  // A second run of the program, not the first one's cached: two runs must write the same bytes.
  const second = await renderTo(EVERYTHING_ON, undefined, true);
  // The dev stack as it is, rendered where helm cannot run (the charts stay unexpanded, all else is written).
  const plainDev = await renderTo([], () => Promise.reject(new HelmUnavailable("helm is not here")));
  // Another shape of the same stack: one NAT gateway, another VPC range, a closed API endpoint, older nodes.
  const variant = await renderTo(
    [
      "--config",
      'eks-platform:nodeInstanceTypes=["m5.large"]',
      "--config",
      "prefixDelegation=false",
      "--config",
      "natGateways=single",
      "--config",
      "vpcCidr=10.20.0.0/16",
      "--config",
      'publicAccessCidrs=["203.0.113.0/24"]',
    ],
    // What it is read for (nodes, network, endpoint, bill) does not come from the charts.
    () => Promise.reject(new HelmUnavailable("not needed here")),
  );
  const summaryOf = (r: Rendered) => r.files.get("summary.md") ?? "";
  const billPage = (r: Rendered) => r.files.get("bill-of-materials.md") ?? "";

  const renderedTypes = (r: Rendered) =>
    new Set((JSON.parse(r.files.get("resources.json") ?? "[]") as Array<{ type: string }>).map((x) => x.type));

  it("renders the dev stack with every component the source declares", async () => {
    assert.equal(first.code, 0, first.stderr.join("\n"));
    // Spot's service-linked role only with spot: the run karpenter-teardown.test.ts makes.
    const spot = await runProgram({ config: { karpenterCapacityTypes: '["spot","on-demand"]' } });
    const rendered = new Set([...renderedTypes(first), ...spot.resources.map((r) => r.type)]);
    const declared = declaredComponentTypes();
    assert.ok(declared.length >= 2);
    for (const type of declared) assert.ok(rendered.has(type), `${type} missing from the dev render`);
  });

  it("renders the dev stack as it is (no domain, no web ACL) without the DNS, TLS and WAF components", () => {
    assert.equal(plainDev.code, 0, plainDev.stderr.join("\n"));
    const rendered = renderedTypes(plainDev);
    for (const type of declaredComponentTypes()) {
      const dnsOnly =
        type === COMPONENTS.externalDns || type === COMPONENTS.certificate || type === COMPONENTS.dnsRecordCleanup;
      const wafOnly = type === COMPONENTS.webAcl;
      const spotOnly = type === COMPONENTS.spotServiceLinkedRole;
      assert.equal(rendered.has(type), !dnsOnly && !wafOnly && !spotOnly, type);
    }
  });

  it("writes resources.json in the documented schema", () => {
    const resources = JSON.parse(first.files.get("resources.json") ?? "[]") as Array<Record<string, unknown>>;
    const urns = new Set(resources.map((r) => r.urn));
    for (const r of resources) {
      assert.deepEqual(Object.keys(r).sort(), [
        "custom",
        "dependencies",
        "inputs",
        "name",
        "parent",
        "provider",
        "type",
        "urn",
      ]);
      assert.ok(r.parent === null || urns.has(r.parent), `${String(r.urn)} has an unknown parent`);
      for (const dep of r.dependencies as string[])
        assert.ok(urns.has(dep), `${String(r.urn)} depends on unknown ${dep}`);
    }
  });

  it("is deterministic: two renders are byte-identical, summary.md included; the time goes to stdout", () => {
    assert.deepEqual([...first.files.keys()], [...second.files.keys()]);
    for (const [file, text] of first.files)
      assert.equal(second.files.get(file), text, `${file} differs between renders`);
    assert.doesNotMatch(summaryOf(first), /Rendered in|\d+\.\d+ s\b/);
    // What a reviewer must read first comes before any section (render/summary/headline.ts).
    assert.match(
      summaryOf(first),
      /^# Render of stack `dev`\n\n[^\n]+\n\n\*\*Cost:\*\* about \$[\d,]+[^\n]+\n\n\*\*Public:\*\*[^\n]+\n\n\*\*Admins:\*\*[^\n]+\n\n\*\*TLS:\*\*[^\n]+\n\n\*\*Review:\*\*[^\n]+\n\n\*\*Read first:\*\*\n\n- mario runs as root/,
    );
    assert.match(first.stdout.join("\n"), /^rendered \d+ resources, \d+ manifests .* in \d+\.\d+ s$/m);
  });

  it("prints nothing while it runs as if something were waiting (the ACM hint is for pulumi up)", async () => {
    const printed: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void printed.push(args.map(String).join(" "));
    try {
      await runProgram({ config: { domain: "example.com" }, fresh: true });
    } finally {
      console.log = log;
    }
    assert.deepEqual(printed, []);
  });

  it("--against an earlier render writes changes.json and changes.md; summary.md is the same as without it", async () => {
    // The rehearsal reads resources, not charts: both renders skip helm.
    const noHelm = () => Promise.reject(new HelmUnavailable("not needed here"));
    const changed = await renderTo(
      [
        "--config",
        ...EVERYTHING_ON.slice(1),
        "--config",
        "kubeProxyMode=ipvs",
        "--date",
        "2026-12-01",
        "--against",
        first.out,
      ],
      noHelm,
    );
    assert.equal(changed.code, 0, changed.stderr.join("\n"));
    const changes = JSON.parse(changed.files.get("changes.json") ?? "[]") as Array<Record<string, unknown>>;
    assert.equal(changes.length, JSON.parse(changed.files.get("resources.json") ?? "[]").length);
    for (const c of changes) {
      const keys = Object.keys(c).filter((k) => k !== "replacement" && k !== "aliasOf");
      assert.deepEqual(keys.sort(), [
        "action",
        "blocking",
        "diff",
        "fields",
        "replaceBecause",
        "type",
        "urn",
        "warnings",
      ]);
      assert.deepEqual(
        (c.diff as Array<{ path: string }>).map((d) => d.path),
        c.fields,
        String(c.urn),
      );
    }
    const kubeProxy = changes.find((c) => String(c.urn).endsWith("::cluster-kube-proxy"));
    assert.deepEqual(
      { action: kubeProxy?.action, fields: kubeProxy?.fields },
      { action: "update", fields: ["configurationValues"] },
    );
    const [mode] = kubeProxy?.diff as Array<{ path: string; before: string; after: string }>;
    assert.deepEqual(
      [JSON.parse(mode.before).mode, JSON.parse(mode.after).mode],
      ["iptables", "ipvs"],
      "the diff carries the values before and after",
    );
    // The mode reaches the add-on, the managed group's launch template (and so the group), and every Karpenter node class's user data.
    const nodeClasses = (JSON.parse(changed.files.get("resources.json") ?? "[]") as Array<{ type: string }>).filter(
      (r) => r.type === KUBERNETES.ec2NodeClass,
    ).length;
    assert.ok(nodeClasses >= 1);
    const updates = 3 + nodeClasses;
    assert.match(
      changed.files.get("changes.md") ?? "",
      new RegExp(
        `^# Changes against \`.*\`\\n\\n.*\\n\\n\\*\\*0 blocking · 0 replace · 0 delete · ${updates} update · 0 create\\*\\* · \\d+ unchanged\\n`,
      ),
    );
    assert.match(
      changed.stdout.join("\n"),
      new RegExp(
        `rehearsed against .*: 0 blocking, 0 replace, 0 delete, ${updates} update, 0 create, \\d+ unchanged; wrote .*changes\\.md and .*changes\\.json`,
      ),
    );
    const without = await renderTo(
      ["--config", ...EVERYTHING_ON.slice(1), "--config", "kubeProxyMode=ipvs", "--date", "2026-12-01"],
      noHelm,
    );
    assert.equal(changed.files.get("summary.md"), without.files.get("summary.md"));
    const wrong = await renderTo(["--against", path.join(scratch, "no-render-here")]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr.join("\n"), /--against .*: no resources\.json there/);
  });

  it("--against another stack's render is refused in one line before anything is written; --against-stack-rename rehearses it as renamed", async () => {
    // The dev render as a stack named prod has it: its URNs, and the cluster named after the stack.
    const prod = path.join(scratch, "prod-render");
    fs.mkdirSync(prod);
    fs.writeFileSync(
      path.join(prod, "resources.json"),
      (plainDev.files.get("resources.json") ?? "")
        .replaceAll("urn:pulumi:dev::", "urn:pulumi:prod::")
        .replaceAll("eks-platform-dev", "eks-platform-prod"),
    );
    fs.writeFileSync(
      path.join(prod, "render.json"),
      (plainDev.files.get("render.json") ?? "").replace('"stack": "dev"', '"stack": "prod"'),
    );
    const noHelm = () => Promise.reject(new HelmUnavailable("not needed here"));
    const refused = await renderTo(["--against", prod], noHelm);
    assert.equal(refused.code, 2);
    assert.equal(refused.stderr.length, 1);
    assert.match(
      refused.stderr[0],
      /a render of stack prod of project eks-platform, not of stack dev of project eks-platform; .*--against-stack-rename/,
    );
    assert.equal(refused.files.size, 0, "nothing written");
    const renamed = await renderTo(["--against", prod, "--against-stack-rename"], noHelm);
    assert.equal(renamed.code, 0, renamed.stderr.join("\n"));
    const changes = JSON.parse(renamed.files.get("changes.json") ?? "[]") as Change[];
    const cluster = changes.find((c) => c.type === PULUMI_EKS.cluster);
    assert.deepEqual(
      [cluster?.action, cluster?.replacement, cluster?.replaceBecause],
      ["replace", "delete-first", ["name"]],
      "the cluster is named after the stack",
    );
    assert.ok(
      changes.every((c) => c.action !== "create" && c.action !== "delete"),
      "every resource pairs with its renamed self",
    );
    assert.match(cluster?.warnings.join(" ") ?? "", /stack prod renamed to dev/);
    assert.match(renamed.files.get("changes.md") ?? "", /\n> stack prod renamed to dev: Pulumi rewrites every URN/);
  });

  it("--fail-on exits 3 when the plan has what it names, 0 when it has none; the files are written either way", async () => {
    const noHelm = () => Promise.reject(new HelmUnavailable("not needed here"));
    const calm = await renderTo(
      ["--against", plainDev.out, "--fail-on", "replace,delete", "--fail-on", "blocking"],
      noHelm,
    );
    assert.equal(calm.code, 0, calm.stderr.join("\n"));
    const replaced = ["--config", 'nodeInstanceTypes=["m5.large"]', "--against", plainDev.out];
    const gated = await renderTo([...replaced, "--fail-on", "replace"], noHelm);
    assert.equal(gated.code, 3);
    assert.match(gated.stderr.join("\n"), /the plan has a replace \(--fail-on replace\)/);
    assert.ok(gated.files.has("changes.md") && gated.files.has("changes.json"));
    assert.equal((await renderTo([...replaced, "--fail-on", "delete,blocking"], noHelm)).code, 0);
    const bad = await renderTo([...replaced, "--fail-on", "update"], noHelm);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr[0], /--fail-on update: expected one of replace, delete, blocking/);
    assert.match((await renderTo(["--fail-on", "replace"], noHelm)).stderr[0], /--fail-on needs --against/);
  });

  it("within 60 days of the version's deadline, the render warns and summary.md counts the days left", async () => {
    const noHelm = () => Promise.reject(new HelmUnavailable("not needed here"));
    const near = await renderTo(["--date", "2027-02-01"], noHelm);
    assert.equal(near.code, 0, near.stderr.join("\n"));
    assert.match(
      near.stdout.join("\n"),
      /^warning: Kubernetes 1\.35: in 54 days \(2027-03-27\) standard support ends and EKS upgrades the control plane/m,
    );
    assert.match(
      near.files.get("summary.md") ?? "",
      /in standard support until 2027-03-27, 54 days left on 2027-02-01/,
    );
    assert.doesNotMatch(plainDev.stdout.join("\n"), /^warning:/m, "none four months ahead");
  });

  it("prints its times in the form npm run bench reads", () => {
    const report = renderReport(first.stdout.join("\n"));
    assert.ok(report.renderSeconds > 0);
    // Without helm there is no expansion to time: the line says so, and there is no chart figure.
    if (helmRuns)
      assert.ok(
        report.chartSeconds !== undefined && report.chartSeconds > 0 && report.chartSeconds < report.renderSeconds,
      );
    else assert.equal(report.chartSeconds, undefined);
  });

  it("never writes a secret in clear", () => {
    const everything = [...first.files.values()].join("\n");
    // The mocked cluster's kubeconfig (a secret output) must only appear masked.
    assert.doesNotMatch(everything, /mock\.eks\.amazonaws\.com/);
    assert.match(first.files.get("resources.json") ?? "", /"kubeconfig": "\[secret\]"/);
  });

  it("writes every object of each Helm release into manifests/, marked with its release, and counts them by kind in summary.md", {
    skip: !helmRuns && "the pinned helm runs on linux-x64 only",
  }, () => {
    const expanded = [...first.files.entries()].filter(([, text]) => text.startsWith("# Helm release "));
    const byRelease = new Map<string, Map<string, number>>();
    for (const [file, text] of expanded) {
      const release = /^# Helm release (\S+) /.exec(text)?.[1] as string;
      const object = parseYaml(text) as { kind: string; metadata: { name: string; namespace?: string } };
      // manifests/<namespace or _cluster>/<Kind>-<name>.yaml, as for the program's own objects.
      assert.equal(path.basename(file), `${object.kind}-${object.metadata.name}.yaml`);
      if (object.metadata.namespace) assert.equal(file.split(path.sep)[1], object.metadata.namespace);
      const kinds = byRelease.get(release) ?? new Map<string, number>();
      kinds.set(object.kind, (kinds.get(object.kind) ?? 0) + 1);
      byRelease.set(release, kinds);
    }
    assert.deepEqual([...byRelease.keys()].sort(), [
      "kube-system/aws-load-balancer-controller",
      "kube-system/external-dns",
      "kube-system/karpenter",
    ]);
    assert.ok(first.files.has(path.join("manifests", "kube-system", "Deployment-aws-load-balancer-controller.yaml")));
    assert.ok(
      first.files.has(path.join("manifests", "_cluster", "IngressClass-alb.yaml")),
      "a cluster-scoped object goes to _cluster/",
    );
    const helm = section(summaryOf(first), "Helm releases");
    for (const [release, kinds] of byRelease) {
      const row = helm.split("\n").find((line) => line.startsWith(`| ${release} |`));
      assert.ok(row, `no summary row for ${release}`);
      for (const [kind, n] of kinds)
        assert.ok(row.includes(`${kind} ${n}`), `${release}: ${kind} ${n} not in "${row}"`);
    }
  });

  it("the CRDs the pinned charts ship are in the render, as the chart has them", () => {
    for (const pin of [LOAD_BALANCER_CONTROLLER_CHART, EXTERNAL_DNS_CHART, KARPENTER_CHART]) {
      for (const crd of chartCrds(readChartArchive(chartArchivePath(pin.archive)))) {
        const name = (crd.metadata as { name: string }).name;
        const text = first.files.get(path.join("manifests", "_cluster", `CustomResourceDefinition-${name}.yaml`));
        assert.ok(text, `${pin.archive}: CRD ${name} missing from the render`);
        assert.deepEqual((parseYaml(text) as { spec: unknown }).spec, crd.spec, `${name} differs from the chart's`);
      }
    }
  });

  it("summary.md opens with what is public, who administers, TLS and the review, stays under 20 kB with a domain, and links the long lists it leaves to files of their own", async () => {
    const withDomain = await renderTo(["--config", "domain=example.com"]);
    assert.equal(withDomain.code, 0, withDomain.stderr.join("\n"));
    for (const rendered of [withDomain, first]) {
      const text = summaryOf(rendered);
      assert.ok(Buffer.byteLength(text) < 20_000, `summary.md has ${Buffer.byteLength(text)} bytes`);
      // Every file summary.md links is in the render, and every detail page is linked.
      const links = [...text.matchAll(/\]\(([\w.-]+\.md)\)/g)].map((m) => m[1]);
      for (const file of links) assert.ok(rendered.files.has(file), `summary.md links ${file}, which is not written`);
      for (const file of ["review.md", "karpenter-instance-types.md", "bill-of-materials.md"])
        assert.ok(links.includes(file) && rendered.files.has(file), file);
      assert.doesNotMatch(text, /<details>/, "no folded lists: they go to their own files");
    }
    const text = summaryOf(withDomain);
    const glance = text.split("\n\n**Read first:**")[0];
    assert.match(
      glance,
      /\*\*Public:\*\* the Kubernetes API endpoint answers the whole internet \(0\.0\.0\.0\/0\); 2 internet-facing ALBs and 2 NLBs/,
    );
    assert.match(glance, /\*\*TLS:\*\* on: .*plain, with no TLS listener: `Service echo\/echo-nlb`/);
    assert.match(summaryOf(plainDev), /\*\*TLS:\*\* off: without `domain`/);
    assert.match(glance, /\*\*Admins:\*\* no one of `adminPrincipalArns`/);
    assert.match(summaryOf(variant), /\*\*Public:\*\* the Kubernetes API endpoint answers 203\.0\.113\.0\/24;/);
    // The review counts load balancers as the bill does: the three Ingresses make two ALBs, each without a web ACL.
    const albs = Number(billCount(billPage(withDomain), "Load balancers: ALB internet-facing"));
    assert.equal(albs, 2);
    assert.match(section(text, "Review"), new RegExp(`- \`alb-waf\`: advisory, ${albs} load balancers: `));
    assert.match(
      glance,
      /\*\*Review:\*\* nothing mandatory failing; \d+ of \d+ policies pass; advisory standing: `alb-waf`/,
    );
    // Where each app runs, and why (issue: summary.md shows each app's architectures and why).
    for (const [app, key] of Object.entries(APP_IMAGE_KEYS))
      assert.match(
        section(text, "Images"),
        new RegExp(
          `^- ${app}: amd64: no published platform list for the image: amd64 unless \`${key.architectures}\` says otherwise\.$`,
          "m",
        ),
      );
    // Words, not raw values: kube-proxy's mode, and a cluster-scoped object by its name.
    const lab = section(text, "kube-proxy and the service-networking lab");
    assert.match(lab, /^kube-proxy mode: iptables\./m);
    assert.match(lab, /\| Namespace lab \|/);
    assert.doesNotMatch(lab, /_cluster|\{"mode"/);
  });

  it("still renders where helm cannot run, and says so in summary.md", () => {
    assert.equal(plainDev.code, 0, plainDev.stderr.join("\n"));
    assert.match(summaryOf(plainDev), /Helm charts not expanded: helm is not here/);
    assert.ok(
      plainDev.files.has(path.join("manifests", "kube-system", "HelmRelease-aws-load-balancer-controller.yaml")),
    );
    assert.ok(![...plainDev.files.values()].some((text) => text.startsWith("# Helm release ")));
    // Everything else is written as usual.
    for (const title of ["Network", "Cluster", "Node groups", "Cost", "Images"]) section(summaryOf(plainDev), title);
    assert.match(plainDev.files.get("resources-by-type.md") ?? "", /^# Resources by type\n/);
    assert.ok(plainDev.files.has(path.join("manifests", "echo", "Deployment-echo.yaml")));
  });

  it("summarises node groups with their max pods, capacity, size, root volume, image release and prefix delegation, and a --config override changes them", () => {
    const nodes = section(summaryOf(first), "Node groups");
    assert.match(nodes, /^VPC CNI prefix delegation: on /m);
    assert.match(
      nodes,
      /\| general \| m7i\.large \| 110 \| 1465Mi \| ON_DEMAND \| 3 \/ 3 \/ 6 \| 50 GiB gp3, encrypted \| /,
    );
    const image =
      nodes
        .split("\n")
        .find((l) => l.startsWith("| general"))
        ?.split("|")[8]
        ?.trim() ?? "";
    // The release that pins the image, and an id that cannot pass for a real one.
    assert.match(
      image,
      /^amazon-eks-node-al2023-x86_64-standard-1\.35-v20260714 \(`ami-placeholder-[0-9a-z]+`, launch template `cluster-general`\)$/,
    );
    assert.equal(variant.code, 0, variant.stderr.join("\n"));
    const variantNodes = section(summaryOf(variant), "Node groups");
    assert.match(variantNodes, /\| general \| m5\.large \| 29 \| 574Mi \|/);
    assert.match(variantNodes, /^VPC CNI prefix delegation: off /m);
    // Nothing scales the group: the bill says so rather than "scales from 3 to 6".
    assert.doesNotMatch(billPage(first), /scales from/);
    assert.match(billPage(first), /fixed at 3 \(nothing scales it/);
    assert.ok(
      UNAVOIDABLE_CHAIN.every((step) => !step.step.includes("prefix delegation")),
      "the critical path names prefix delegation whether or not it is on",
    );
  });

  it("with a domain, names the certificate and every load balancer's listeners and TLS policy; a pending hostname reads as one", () => {
    const lbs = section(summaryOf(first), "Load balancers");
    assert.match(
      lbs,
      /\| Service tetris\/tetris-nlb \| NLB \| .* \| TLS 443 \| ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 \|/,
    );
    assert.match(lbs, /\| Service echo\/echo-nlb \| NLB \| .* \| TCP 80 \| - \|/);
    assert.equal(
      lbs.match(/HTTP 80 \(redirects to 443\), HTTPS 443 \| ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 \|/g)?.length,
      3,
    );
    assert.match(lbs, /the ACM certificate for `example\.com`, `\*\.example\.com` \(DNS validation\)/);
    assert.match(section(summaryOf(plainDev), "Load balancers"), /No certificate: without a domain/);
    assert.match(
      section(summaryOf(first), "App URLs"),
      /\| echo \| http:\/\/<load balancer hostname, known after pulumi up>\/ \|/,
    );
    // Each workload's replicas.
    assert.match(section(summaryOf(first), "Images"), /^\| Deployment echo\/echo \| 3 to 12 \(HPA\) \| program \|/m);
  });

  it("names the region, zones, VPC and subnet ranges, NAT mode, Kubernetes version, add-on versions and who can reach the API", () => {
    const network = section(summaryOf(first), "Network");
    assert.match(
      network,
      /Region `ap-northeast-2`, zones `ap-northeast-2a`, `ap-northeast-2b`, `ap-northeast-2c`; VPC `10\.0\.0\.0\/16`/,
    );
    assert.match(network, /one NAT gateway per zone \(3\)/);
    assert.match(network, /\| ap-northeast-2a \| 10\.0\.192\.0\/22 \| 10\.0\.0\.0\/18 \|/);
    const cluster = section(summaryOf(first), "Cluster");
    assert.match(cluster, /Kubernetes `1\.35`/);
    assert.match(cluster, /public endpoint reachable from `0\.0\.0\.0\/0` \(\*\*the whole internet\*\*/);
    assert.match(cluster, /\| vpc-cni \| \S+ \|/);
    // The same section follows the configuration.
    const other = summaryOf(variant);
    assert.match(section(other, "Network"), /VPC `10\.20\.0\.0\/16`/);
    assert.match(section(other, "Network"), /1 NAT gateway \(in ap-northeast-2a\) for 3 zones/);
    assert.match(section(other, "Cluster"), /public endpoint reachable from `203\.0\.113\.0\/24`;/);
  });

  it("counts what AWS charges for by the hour, from the graph", () => {
    const s = billPage(first);
    assert.equal(billCount(s, "EKS control plane"), "1");
    assert.equal(billCount(s, "NAT gateways"), "3");
    // 2048 on its own ALB, tetris and mario on one shared (grouped) ALB; echo and tetris on NLBs.
    assert.equal(billCount(s, "Load balancers: ALB internet-facing"), "2");
    assert.equal(billCount(s, "Load balancers: NLB internet-facing"), "2");
    assert.equal(billCount(s, "Nodes: m7i.large (ON_DEMAND)"), "3");
    const types = (JSON.parse(first.files.get("resources.json") ?? "[]") as Array<{ type: string }>).map((r) => r.type);
    assert.equal(billCount(s, "KMS keys"), String(types.filter((t) => t === AWS.kmsKey).length));
    // 3 NAT Elastic IPs, and one address per zone for each of the 4 internet-facing load balancers.
    assert.equal(billCount(s, "Public IPv4 addresses"), "15+");
    // The domain render has the web ACL: one ACL with its three managed rule groups, on the two ALBs.
    assert.equal(billCount(s, "WAF web ACLs"), "1");
    assert.match(
      s,
      /\| WAF web ACLs \| 1 \| 3 managed rule groups, each billed per month beside the ACL, plus per million requests; on 2 ALBs \|/,
    );
    assert.equal(billCount(billPage(plainDev), "WAF web ACLs"), "0");
    const single = billPage(variant);
    assert.equal(billCount(single, "NAT gateways"), "1");
    assert.equal(billCount(single, "Nodes: m5.large (ON_DEMAND)"), "3");
  });

  it("lists each workload's image and tag, flagging unpinned and latest images, and tag-only ones (CKV_K8S_43)", () => {
    const images = section(summaryOf(first), "Images").split("\n");
    const row = (workload: string) => images.find((l) => l.startsWith(`| ${workload} |`)) ?? "";
    assert.match(
      row("Deployment echo/echo"),
      /`registry\.k8s\.io\/echoserver` \| `sha256:feed0ca56bcecc621083404518aad894064760b65c1f884ddcb77d3379f7e1fc` \| by digest \|/,
    );
    assert.match(
      section(summaryOf(first), "Images"),
      /\d+ containers run an image by tag only: the registry can move a tag \(checkov CKV_K8S_43\)/,
    );
    assert.equal(pinning(`registry.k8s.io/echoserver:1.5@sha256:${"ab".repeat(32)}`), "by digest");
    assert.match(row("Deployment game-2048/game-2048"), /`latest` \| UNPINNED: latest \|/);
    assert.match(row("Deployment tetris/tetris"), /\(none\) \| UNPINNED: no tag/);
    const digest = `sha256:${"ab".repeat(32)}`;
    assert.deepEqual(parseImage(`localhost:5000/team/app:1.2@${digest}`), {
      repository: "localhost:5000/team/app",
      tag: "1.2",
      digest,
    });
    assert.deepEqual(parseImage("localhost:5000/team/app"), {
      repository: "localhost:5000/team/app",
      tag: undefined,
      digest: undefined,
    });
    assert.equal(unpinnedReason(`nginx@${digest}`), undefined);
    assert.match(unpinnedReason("nginx@sha256:0123") ?? "", /^NOT A VALID REFERENCE: invalid reference format/);
  });

  it("lists the images of the Helm charts' workloads too", {
    skip: !helmRuns && "the pinned helm runs on linux-x64 only",
  }, () => {
    const images = section(summaryOf(first), "Images").split("\n");
    const row = (workload: string) => images.find((l) => l.startsWith(`| ${workload} |`)) ?? "";
    assert.match(
      row("Deployment kube-system/aws-load-balancer-controller"),
      /`public\.ecr\.aws\/eks\/aws-load-balancer-controller` \| `v3\.5\.0` \| tag only \|/,
    );
    assert.match(row("Deployment kube-system/external-dns"), /`v0\.21\.0` \| tag only \|/);
  });

  it("exits 2 on bad --config, one line per bad key on stderr, and writes nothing", async () => {
    const bad = await renderTo(["--config", "vpcCidr=10.0.0.0/8", "--config", "nodeCapacityType=CHEAP"]);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.length, 2, bad.stderr.join("\n"));
    assert.match(bad.stderr.find((l) => l.startsWith("eks-platform:vpcCidr:")) ?? "", /\/16 to \/20/);
    assert.match(bad.stderr.find((l) => l.startsWith("eks-platform:nodeCapacityType:")) ?? "", /ON_DEMAND/);
    assert.equal(fs.existsSync(bad.out), false, "a failed render wrote files");
  });

  it("exits 2 on a mistyped key, naming it and the key meant, and on a Kubernetes version EKS does not offer", async () => {
    const typo = await renderTo(["--config", 'nodeInstanceType=["m5.large"]', "--config", "kubernetesVersion=1.40"]);
    assert.equal(typo.code, 2);
    assert.deepEqual(typo.stderr.map((l) => l.split(":").slice(0, 2).join(":")).sort(), [
      "eks-platform:kubernetesVersion",
      "eks-platform:nodeInstanceType",
    ]);
    assert.match(
      typo.stderr.join("\n"),
      /eks-platform:nodeInstanceType: .*did you mean eks-platform:nodeInstanceTypes\?/,
    );
    assert.equal(fs.existsSync(typo.out), false);
  });

  it("renders a region beyond the first four (eu-central-1); a region that does not exist and one the offline data lacks are refused in different words, exit 2", async () => {
    const noHelm = () => Promise.reject(new HelmUnavailable("not needed here"));
    const frankfurt = await renderTo(["--config", "aws:region=eu-central-1"], noHelm);
    assert.equal(frankfurt.code, 0, frankfurt.stderr.join("\n"));
    assert.match(frankfurt.files.get("summary.md") ?? "", /eu-central-1a/);
    const invented = await renderTo(["--config", "aws:region=eu-centrl-1"], noHelm);
    assert.equal(invented.code, 2);
    assert.deepEqual(invented.stderr, [
      `render: aws:region "eu-centrl-1" is not an AWS region: not one of the ${AWS_REGIONS.length} regions @pulumi/aws 7.48.0 names (its Region enum); did you mean eu-central-1?`,
    ]);
    assert.equal(fs.existsSync(invented.out), false);
    assert.match(
      unknownRegion("moon"),
      /^aws:region "moon" is not an AWS region: .*; a region is named like ap-northeast-2$/,
    );
    // A real region the data has no zones for (every commercial one is in it today, so the data is narrowed).
    assert.match(
      unknownRegion("eu-central-1", ["ap-northeast-2"]),
      /^no offline zones for aws:region eu-central-1, an AWS region the offline data lacks: data\/aws\/availability-zones\.json .*npm run refresh/,
    );
    assert.match(unknownRegion("cn-north-1"), /aws:region cn-north-1 is in another partition than aws/);
    assert.match(unknownRegion("us-gov-west-1"), /another partition/);
    // The region list is the provider's own: every region the offline data has zones for is in it.
    for (const region of Object.keys(zonesData.regions)) assert.ok(AWS_REGIONS.includes(region), region);
  });

  it("a --date that is not a day of the calendar: one line saying why, exit 2, nothing written", async () => {
    const bad = await renderTo(["--date", "2026-02-30"]);
    assert.equal(bad.code, 2);
    assert.deepEqual(bad.stderr, [
      "render: --date 2026-02-30: expected a day of the calendar, YYYY-MM-DD, such as 2026-12-01: February 2026 has 28 days",
    ]);
    assert.equal(fs.existsSync(bad.out), false);
    assert.match((await renderTo(["--date", "2028-02-30"])).stderr[0], /February 2028 has 29 days$/);
    assert.match((await renderTo(["--date", "2026-13-01"])).stderr[0], /there is no month 13$/);
    assert.match((await renderTo(["--date", "1 March"])).stderr[0], /such as 2026-12-01$/);
  });

  it("a mistyped project namespace is refused with the key meant, instead of rendering without the domain", async () => {
    const typo = await renderTo(["--config", "eks-platfrom:domain=example.com"]);
    assert.equal(typo.code, 2);
    assert.deepEqual(typo.stderr, [
      'eks-platfrom:domain: "eks-platfrom" is not a namespace this program reads; did you mean eks-platform:domain? (it reads eks-platform: keys, which Pulumi.yaml declares, and the AWS provider\'s aws: settings)',
    ]);
    assert.equal(fs.existsSync(typo.out), false);
  });

  it("says what pulumi up would warn of, and renders: Karpenter's keys with karpenter=false, a public vpcCidr", async () => {
    const noHelm = () => Promise.reject(new HelmUnavailable("not needed here"));
    const warned = await renderTo(
      ["--config", "karpenter=false", "--config", "karpenterMaxVcpus=8", "--config", "vpcCidr=8.8.0.0/16"],
      noHelm,
    );
    assert.equal(warned.code, 0, warned.stderr.join("\n"));
    assert.deepEqual(
      warned.stdout.filter((l) => l.startsWith("warning: ")).map((l) => l.split(": ").slice(1, 3).join(": ")),
      [
        "eks-platform:karpenterMaxVcpus: no effect with eks-platform:karpenter false (it shapes the NodePools Karpenter would run)",
        "eks-platform:vpcCidr: 8.8.0.0/16 is not a private range (RFC 1918",
      ],
    );
    assert.deepEqual(warned.stderr, []);
  });

  it("a stack file it cannot read as the Pulumi CLI would: one line naming the file (and the line), no stack trace", () => {
    const project = path.join(scratch, "stack-files");
    fs.mkdirSync(project);
    fs.copyFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
    const write = (stack: string, text: string) => fs.writeFileSync(path.join(project, `Pulumi.${stack}.yaml`), text);
    const problems = (stack: string, overrides: Record<string, string> = {}): string[] => {
      try {
        readStackFiles(project, stack, overrides);
      } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        return [...error.problems];
      }
      return [];
    };
    write("dev", "config:\n  aws:region: ap-northeast-2\n  eks-platform:domain: [unclosed\n");
    assert.deepEqual(problems("dev"), [
      "Pulumi.dev.yaml line 4, column 1: Flow sequence in block collection must be sufficiently indented and end with a ] (not valid YAML)",
    ]);
    write("twice", "config:\n  aws:region: ap-northeast-2\n  aws:region: us-east-1\n");
    assert.deepEqual(problems("twice"), [
      "Pulumi.twice.yaml line 3, column 3: Map keys must be unique (not valid YAML)",
    ]);
    fs.mkdirSync(path.join(project, "Pulumi.folder.yaml"));
    assert.deepEqual(problems("folder"), ["Pulumi.folder.yaml: cannot be read (EISDIR)"]);
    assert.deepEqual(problems("prod"), [
      "Pulumi.prod.yaml: no such stack file; expected --stack to name one of the stacks here (dev, folder, twice)",
    ]);
    write("list", "- a\n");
    assert.deepEqual(problems("list"), ['Pulumi.list.yaml: expected a mapping of keys to values, got ["a"]']);
    // An encrypted value: refused, unless the command line gives it; the AWS provider's credentials are not read.
    write(
      "secret",
      "config:\n  aws:region: ap-northeast-2\n  eks-platform:domain:\n    secure: AAABAJfo8i0H1F3t\n  aws:secretKey:\n    secure: AAABAQ\n",
    );
    assert.deepEqual(problems("secret"), [
      "Pulumi.secret.yaml: eks-platform:domain is encrypted (secure:), which the offline render cannot decrypt (that takes the stack's secrets provider, through the Pulumi CLI); give its value with --config eks-platform:domain=<value>",
    ]);
    const given = readStackFiles(project, "secret", { domain: "example.com" });
    assert.equal(given.config["eks-platform:domain"], "example.com");
    assert.equal(given.config["aws:secretKey"], undefined);
    // A Pulumi ESC environment: a warning (it mostly brings credentials), saying what is missing and why.
    write("esc", "environment:\n  - aws-dev\nconfig:\n  aws:region: ap-northeast-2\n");
    const esc = readStackFiles(project, "esc", {});
    assert.deepEqual(esc.warnings, [
      "Pulumi.esc.yaml: environment: aws-dev (Pulumi ESC) is not read offline, as opening it takes Pulumi Cloud: rendered without it, so configuration it supplies is missing here (give it with --config key=value); a warning, not a refusal, since an environment mostly brings credentials, which the render never uses",
    ]);
    assert.equal(esc.config["aws:region"], "ap-northeast-2");
  });

  it("a --stack without its file: exit 2, one line naming the stacks there are", async () => {
    const missing = await renderTo(["--stack", "prdo"]);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr.length, 1);
    assert.match(
      missing.stderr[0],
      /^Pulumi\.prdo\.yaml: no such stack file; expected --stack to name one of the stacks here \((.*, )?dev(, .*)?\)$/,
    );
  });

  it("rejects a malformed --config pair in one line", async () => {
    const bad = await renderTo(["--config", "novalue"]);
    assert.equal(bad.code, 2);
    assert.deepEqual(bad.stderr, ["render: --config novalue: expected key=value (as in pulumi config set key value)"]);
  });

  it("every test file that makes a temporary folder removes it when it ends", () => {
    const testDir = path.join(PROJECT_ROOT, "test");
    for (const file of fs.readdirSync(testDir).filter((f) => f.endsWith(".test.ts"))) {
      const text = fs.readFileSync(path.join(testDir, file), "utf8");
      if (!/mkdtemp(Sync)?\(/.test(text)) continue;
      assert.match(
        text,
        /\bafter\([\s\S]{0,400}?\brmSync\(/,
        `${file} makes a temporary folder and never removes it in an after() hook`,
      );
    }
  });
});

// ------------------------------------------------------------- --out never hurts

/** Every path under a folder with what it is (and a file's content), to show the disk is as it was. */
function diskState(dir: string): string[] {
  if (!fs.existsSync(dir)) return ["(absent)"];
  const stats = fs.lstatSync(dir);
  if (!stats.isDirectory()) return [`file ${fs.readFileSync(dir, "utf8")}`];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((e) => {
      const full = path.join(e.parentPath, e.name);
      const rel = path.relative(dir, full);
      return e.isSymbolicLink()
        ? `link ${rel}`
        : e.isDirectory()
          ? `dir ${rel}`
          : `file ${rel} ${fs.readFileSync(full, "utf8")}`;
    })
    .sort();
}

describe("render --out: replaces only what a render made", () => {
  const area = path.join(scratch, "out-safety");
  fs.mkdirSync(area, { recursive: true });
  const noHelm = () => Promise.reject(new HelmUnavailable("not needed for this test"));
  const renderAt = async (out: string) => {
    const stderr: string[] = [];
    const stdout: string[] = [];
    const code = await render(
      ["--out", out, "--date", DEFAULT_RUN_DATE],
      (l) => stderr.push(l),
      (l) => stdout.push(l),
      noHelm,
      false,
    );
    return { code, stderr, stdout };
  };
  /** Renders to `out` and holds that it was refused with one line naming the reason, the disk untouched. */
  const refused = async (out: string, watch: string, reason: RegExp) => {
    const before = diskState(watch);
    const result = await renderAt(out);
    assert.equal(result.code, 2, `${out} was not refused`);
    assert.equal(result.stderr.length, 1, result.stderr.join("\n"));
    assert.match(result.stderr[0], reason);
    assert.deepEqual(diskState(watch), before, `${out}: the disk changed`);
  };

  it("refuses a file, and leaves it as it was", async () => {
    const file = path.join(area, "README.md");
    fs.writeFileSync(file, "a user's file");
    await refused(file, file, /^render: --out .*README\.md: is a file, not a folder; give a new folder/);
  });

  it("refuses a folder with content it did not make", async () => {
    const folder = path.join(area, "components");
    fs.mkdirSync(path.join(folder, "network"), { recursive: true });
    fs.writeFileSync(path.join(folder, "network", "network.ts"), "export {};");
    await refused(folder, folder, /is a folder with content an earlier render did not make/);
  });

  it("refuses a git work tree, a git repository's own folder and anything in it, a symbolic link, and a path it cannot write to", async () => {
    const repo = path.join(area, "repo");
    fs.mkdirSync(path.join(repo, ".git"), { recursive: true });
    await refused(repo, repo, /is a git work tree/);
    await refused(path.join(repo, ".git", "render"), repo, /is inside a git repository's own folder \(.*repo\/\.git\)/);
    // A bare repository, or a worktree's folder in the main repository's .git, by what git keeps there.
    const bare = path.join(area, "bare.git-like");
    for (const dir of ["objects", "refs"]) fs.mkdirSync(path.join(bare, dir), { recursive: true });
    fs.writeFileSync(path.join(bare, "HEAD"), "ref: refs/heads/main\n");
    await refused(path.join(bare, "refs", "render"), bare, /is inside a git repository's own folder/);
    const link = path.join(area, "link");
    fs.symlinkSync(repo, link);
    await refused(link, area, /is a symbolic link/);
    const underFile = path.join(area, "README.md", "render");
    await refused(underFile, area, /cannot be read \(ENOTDIR\)/);
  });

  it("refuses the project itself and every folder that contains it, touching nothing", async () => {
    const top = fs.readdirSync(PROJECT_ROOT).sort();
    for (const out of [".", "..", PROJECT_ROOT, path.parse(PROJECT_ROOT).root]) {
      const result = await renderAt(out);
      assert.equal(result.code, 2, out);
      assert.match(result.stderr.join("\n"), /is the project itself|contains the project/);
    }
    assert.deepEqual(fs.readdirSync(PROJECT_ROOT).sort(), top);
  });

  it("creates a new folder, fills an empty one, and replaces its own, marker and all, leaving nothing of the old render", async () => {
    const fresh = path.join(area, "fresh", "render");
    assert.equal((await renderAt(fresh)).code, 0);
    assert.ok(fs.existsSync(path.join(fresh, ".eks-platform-render")));
    assert.ok(fs.existsSync(path.join(fresh, "summary.md")));
    // A file an earlier render wrote and this one does not (changes.md after --against): listed in its marker.
    fs.writeFileSync(path.join(fresh, "stale.txt"), "from an older render");
    fs.appendFileSync(path.join(fresh, ".eks-platform-render"), "stale.txt\n");
    assert.equal((await renderAt(fresh)).code, 0, "an earlier render's folder is replaced");
    assert.equal(fs.existsSync(path.join(fresh, "stale.txt")), false);
    const empty = path.join(area, "empty");
    fs.mkdirSync(empty);
    assert.equal((await renderAt(empty)).code, 0);
    assert.ok(fs.existsSync(path.join(empty, "resources.json")));
    // Nothing is left beside them (the render writes to a staging folder, then moves it in).
    assert.deepEqual(fs.readdirSync(path.join(area, "fresh")), ["render"]);
  });

  it("a file of the user's in a render folder is not deleted: the render is refused, naming it, and the folder stays as it was", async () => {
    const mine = path.join(area, "mine");
    assert.equal((await renderAt(mine)).code, 0);
    fs.writeFileSync(path.join(mine, "notes.md"), "my review notes");
    fs.mkdirSync(path.join(mine, "manifests", "extra"));
    fs.writeFileSync(path.join(mine, "manifests", "extra", "patch.yaml"), "kind: Patch");
    await refused(
      mine,
      mine,
      /^render: --out .*mine: holds manifests\/extra, manifests\/extra\/patch\.yaml, notes\.md, which no render wrote; replacing the folder would delete them: move them out; give a new folder/,
    );
    // A render folder from before renders listed their files: what in it is the user's cannot be told.
    const older = path.join(area, "older");
    fs.mkdirSync(older);
    fs.writeFileSync(
      path.join(older, ".eks-platform-render"),
      "Written by `npm run render` (eks-platform). The next render replaces this whole folder.\n",
    );
    fs.writeFileSync(path.join(older, "summary.md"), "an older render's");
    await refused(older, older, /was made by an older render that did not list its files .*delete the folder yourself/);
  });

  it("makes its folder as a plain mkdir does, with the mode the umask gives (readable by the group where it is), not mkdtemp's 0700", async () => {
    const plain = path.join(area, "plain-mkdir");
    fs.mkdirSync(plain);
    const rendered = path.join(area, "mode", "render");
    assert.equal((await renderAt(rendered)).code, 0);
    assert.equal(fs.statSync(rendered).mode & 0o777, fs.statSync(plain).mode & 0o777);
    assert.equal(fs.statSync(path.join(rendered, "manifests")).mode & 0o777, fs.statSync(plain).mode & 0o777);
  });

  it("--help prints its usage and writes nothing", async () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const before = diskState(path.join(PROJECT_ROOT, "out"));
    const code = await render(
      ["--help"],
      (l) => stderr.push(l),
      (l) => stdout.push(l),
    );
    assert.equal(code, 0);
    assert.deepEqual(stderr, []);
    assert.match(stdout.join("\n"), /^usage: npm run render -- .*--help\]\n/);
    assert.match(stdout.join("\n"), /--out <folder> +where to write/);
    assert.deepEqual(diskState(path.join(PROJECT_ROOT, "out")), before);
  });
});
