/**
 * The cost estimate (issue 29 §3): every committed price names its source and the day it was read, or is null
 * with the reason; the dev stack's estimate has a line per thing the program declares, counted from the run, and
 * totals that are the sum of its lines; an unknown price is said and counted; a change shows in changes.md with
 * its sign and amount; the Price List refresh reads GetProducts answers in the shape AWS documents.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import type { GetProductsRequest, GetProductsResponse } from "@aws-sdk/client-pricing";
import { AWS, PULUMI_EKS } from "../components/resource-types";
import {
  HOURS_PER_MONTH,
  isKnown,
  type KnownPrice,
  type Price,
  type PricesFile,
  parsePrices,
  pricesPath,
  readPrices,
  renderPricesFile,
} from "../data/aws/prices";
import { offlineInstanceType } from "../data/instance-types";
import {
  collectPriceAnswers,
  describePriceChanges,
  onDemandPrice,
  parsePriceListItem,
  regionPricesFromAnswers,
} from "../refresh/prices";
import { parsePricesArgs } from "../refresh/prices-cli";
import { render } from "../render/cli";
import { DEFAULT_RUN_DATE, ofType, type ProgramRun, runProgram } from "../render/harness";
import { HelmUnavailable } from "../render/helm";
import { parseRenderArgs } from "../render/options";
import { changesMarkdown } from "../render/rehearsal/changes-markdown";
import { costChangeLines, deltaText } from "../render/rehearsal/cost-change";
import { planChanges } from "../render/rehearsal/plan";
import type { SummaryContext } from "../render/summary/context";
import { costHeadline, costSection, nodeHourlyCost } from "../render/summary/cost";
import { type CostEstimate, estimateCost, estimateHeadline, unitPriceText } from "../render/summary/cost-estimate";
import { karpenterPools } from "../render/summary/karpenter";
import { loadBalancers } from "../render/summary/load-balancers";
import { subnets } from "../render/summary/network";
import { SUMMARY_SECTIONS } from "../render/summary/summary";
import { TEAM_CHOICES } from "./shared-configs";

const estimate = (run: ProgramRun, file?: PricesFile): CostEstimate =>
  estimateCost({ resources: run.resources, region: run.identity.region, date: DEFAULT_RUN_DATE }, file);
const line = (e: CostEstimate, item: string) => {
  const found = e.lines.find((l) => l.item === item);
  assert.ok(found, `no line ${item}: ${e.lines.map((l) => l.item).join(", ")}`);
  return found;
};
const known = (p: Price | undefined): KnownPrice => {
  assert.ok(p && isKnown(p), `expected a known price, got ${JSON.stringify(p)}`);
  return p;
};
const seoul = () => readPrices().regions["ap-northeast-2"];
const monthly = (n: number, p: KnownPrice) => Math.round(n * p.usd * HOURS_PER_MONTH * 100) / 100;
/** The prices with some changed, for a test: the committed ones are never touched. */
function withPrices(region: string, change: (r: PricesFile["regions"][string]) => void): PricesFile {
  const copy = structuredClone(readPrices());
  change(copy.regions[region]);
  return copy;
}

describe("cost: the prices say where they come from", () => {
  it("every price names its source and the day it was read, or is null with the reason; the file is as rendered", () => {
    const file = parsePrices(JSON.parse(fs.readFileSync(pricesPath(), "utf8")), "prices.json");
    assert.equal(fs.readFileSync(pricesPath(), "utf8"), renderPricesFile(file));
    const today = new Date().toISOString().slice(0, 10);
    for (const [region, prices] of Object.entries(file.regions)) {
      const { ec2Linux, ...named } = prices;
      for (const [name, p] of [...Object.entries(named), ...Object.entries(ec2Linux)]) {
        if (isKnown(p)) {
          assert.match(p.source, /https:\/\/|Price List/, `${region} ${name}`);
          assert.match(p.read, /^\d{4}-\d{2}-\d{2}$/, `${region} ${name}`);
          assert.ok(p.read <= today, `${region} ${name} read in the future: ${p.read}`);
          if (p.via) assert.ok(p.via in file.transcriptions, `${region} ${name}: ${p.via}`);
        } else {
          assert.ok(p.reason.length > 20, `${region} ${name}: an unknown price says why`);
        }
      }
    }
  });

  it("an ap-northeast-2 price is read for ap-northeast-2, or from a source that says it holds in every region", () => {
    const { ec2Linux, ...named } = seoul();
    for (const [name, p] of [...Object.entries(named), ...Object.entries(ec2Linux)]) {
      if (!isKnown(p)) continue;
      assert.match(
        `${p.source} ${p.note ?? ""}`,
        /ap-northeast-2|Seoul|consistent across all AWS Regions|no regional table/,
        `${name}: a price read for another region`,
      );
    }
    // The prices the dev stack's estimate needs, each cited.
    for (const name of ["eksCluster", "natGateway", "alb", "nlb", "publicIpv4", "kmsKey", "ebsGp3"] as const)
      known(seoul()[name]);
    known(seoul().ec2Linux["m7i.large"]);
  });

  it("a price without a source, without a day, or read through an unnamed transcription is refused, naming it", () => {
    const broken = (change: (f: PricesFile) => void) => {
      const copy = structuredClone(readPrices());
      change(copy);
      return () => parsePrices(JSON.parse(JSON.stringify(copy)), "prices.json");
    };
    const nat = (f: PricesFile) => f.regions["ap-northeast-2"].natGateway as Record<string, unknown>;
    assert.throws(
      broken((f) => void delete nat(f).source),
      /regions\.ap-northeast-2\.natGateway/,
    );
    assert.throws(
      broken((f) => void (nat(f).read = "last week")),
      /regions\.ap-northeast-2\.natGateway/,
    );
    assert.throws(
      broken((f) => void (nat(f).source = "a colleague said so")),
      /regions\.ap-northeast-2\.natGateway/,
    );
    assert.throws(
      broken((f) => void (nat(f).via = "a blog")),
      /natGateway\.via: "a blog" is not in transcriptions/,
    );
    assert.throws(
      broken((f) => void (f.regions["ap-northeast-2"].kmsKey = { usd: null, unit: "month" } as unknown as Price)),
      /regions\.ap-northeast-2\.kmsKey/,
    );
  });
});

describe("cost: docs/cost.md is true", () => {
  it("its price table is prices.json's ap-northeast-2 prices, every one; its figures are the dev stack's", async () => {
    const doc = fs.readFileSync(path.join(__dirname, "..", "docs", "cost.md"), "utf8");
    const rows = new Map(
      [...doc.matchAll(/^\| `([\w.-]+)` \| [^|]+ \| ([^|]+) \| ([^|]+) \|/gm)].map((m) => [m[1], [m[2], m[3]]]),
    );
    const { ec2Linux, ...named } = seoul();
    const all = [
      ...Object.entries(named),
      ...Object.entries(ec2Linux).map(([t, p]): [string, Price] => [`ec2Linux.${t}`, p]),
    ];
    assert.deepEqual([...rows.keys()].sort(), all.map(([name]) => name).sort());
    for (const [name, p] of all)
      assert.deepEqual(rows.get(name), isKnown(p) ? [unitPriceText(p), p.read] : ["unknown", "-"], name);
    const e = estimate(await runProgram());
    assert.ok(doc.includes(`"${estimateHeadline(e)}"`), `docs/cost.md quotes the headline: ${estimateHeadline(e)}`);
    assert.match(
      line(e, "Karpenter nodes").detail,
      new RegExp(
        `^none while nothing is pending; ceiling unknown: ${/\((\d+) of the (\d+) types/.exec(doc)?.slice(1, 3).join(" of the ")} types`,
      ),
    );
  });
});

describe("cost: the dev stack's estimate", () => {
  it("has a line per thing the program declares, counted from the run and priced from the data", async () => {
    const run = await runProgram();
    const e = estimate(run);
    const prices = seoul();
    assert.equal(e.region, "ap-northeast-2");

    const clusters = ofType(run, PULUMI_EKS.cluster).length;
    assert.equal(clusters, 1);
    const controlPlane = line(e, "EKS control plane");
    assert.deepEqual([controlPlane.low, controlPlane.high], Array(2).fill(monthly(1, known(prices.eksCluster))));
    assert.match(controlPlane.detail, /standard support until \d{4}-\d{2}-\d{2}/);

    for (const group of ofType(run, PULUMI_EKS.managedNodeGroup)) {
      const scaling = group.inputs.scalingConfig as { desiredSize: number; maxSize: number };
      const [type] = group.inputs.instanceTypes as string[];
      const nodes = line(
        e,
        `Managed nodes (${String(group.inputs.nodeGroupNamePrefix ?? group.name).replace(/-$/, "")})`,
      );
      const price = known(prices.ec2Linux[type]);
      assert.deepEqual([nodes.low, nodes.high], [monthly(scaling.desiredSize, price), monthly(scaling.maxSize, price)]);
    }

    const nats = ofType(run, AWS.natGateway).length;
    assert.equal(line(e, "NAT gateways").low, monthly(nats, known(prices.natGateway)));

    // One load balancer per Service, per Ingress group (the shared games ALB once), per ungrouped Ingress.
    const unique = [...new Map(loadBalancers(run).map((r) => [r.key, r])).values()];
    const albs = unique.filter((r) => r.kind.startsWith("ALB")).length;
    const nlbs = unique.filter((r) => r.kind === "NLB").length;
    assert.ok(loadBalancers(run).length > unique.length, "the games group has two Ingresses and is one ALB");
    assert.equal(line(e, "Application Load Balancers").low, monthly(albs, known(prices.alb)));
    assert.equal(line(e, "Network Load Balancers").low, monthly(nlbs, known(prices.nlb)));

    const zones = new Set(
      subnets(run)
        .filter((s) => s.public)
        .map((s) => s.zone),
    ).size;
    const internetFacing = unique.filter((r) => r.scheme === "internet-facing").length;
    const addresses = ofType(run, AWS.eip).length + internetFacing * zones;
    assert.equal(line(e, "Public IPv4 addresses").quantity, `${addresses}+`);
    assert.equal(line(e, "Public IPv4 addresses").low, monthly(addresses, known(prices.publicIpv4)));

    assert.equal(line(e, "KMS keys").low, ofType(run, AWS.kmsKey).length * known(prices.kmsKey).usd);
    assert.equal(
      e.lines.find((l) => l.item === "AWS WAF"),
      undefined,
      "the dev stack turns the web ACL off",
    );

    const pools = karpenterPools(run);
    const karpenter = line(e, "Karpenter nodes");
    assert.equal(karpenter.low, 0);
    assert.equal(karpenter.high, null, "most of the types the pools admit have no recorded price");
    const admitted = pools.reduce((n, p) => n + p.instanceTypes.length, 0);
    assert.match(karpenter.detail, new RegExp(`of the ${admitted} types the NodePools admit have a recorded price`));

    const disk = 50; // nodeDiskSize's default, the launch template's and the node classes' root volume
    const managedMost = ofType(run, PULUMI_EKS.managedNodeGroup).reduce(
      (n, g) => n + (g.inputs.scalingConfig as { maxSize: number }).maxSize,
      0,
    );
    const volumes = line(e, "EBS root volumes");
    const gp3 = known(prices.ebsGp3).usd;
    assert.equal(volumes.low, Math.round(3 * disk * gp3 * 100) / 100);
    const karpenterNodes = pools.reduce((n, p) => n + p.mostNodes, 0);
    assert.equal(volumes.high, Math.round((managedMost + karpenterNodes) * disk * gp3 * 100) / 100);

    const logs = line(e, "CloudWatch Logs");
    assert.deepEqual([logs.low, logs.high], [null, null]);
    assert.match(logs.quantity, new RegExp(`^${ofType(run, AWS.logGroup).length} log groups`));
  });

  it("its totals are the sums of its lines, and the unknown lines are counted and named", async () => {
    const e = estimate(await runProgram());
    const sum = (side: "low" | "high") => Math.round(e.lines.reduce((n, l) => n + (l[side] ?? 0), 0) * 100) / 100;
    assert.equal(e.low, sum("low"));
    assert.equal(e.high, sum("high"));
    assert.equal(e.unknownLines, 2, "Karpenter's ceiling and the log volume");
    assert.ok(e.low < e.high);
    const ctx = await summaryContext();
    assert.equal(
      costHeadline(ctx),
      `about $${Math.round(e.low).toLocaleString("en-US")}–$${Math.round(e.high).toLocaleString("en-US")} per month (2 prices unknown)`,
    );
    const section = costSection(ctx);
    assert.ok(section && SUMMARY_SECTIONS.includes(costSection));
    assert.match(section.body, /The total leaves out what is unknown: Karpenter nodes, CloudWatch Logs\./);
    assert.equal(
      section.body.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| item")).length - 1,
      e.lines.length,
    );
    assert.match(section.body, /Not estimated, billed by volume .*NAT gateway data processed \(\$0\.059\/GB\)/);
  });

  it("an unknown price makes its line unknown and the total say so, never a guess", async () => {
    const run = await runProgram();
    const known = estimate(run);
    const noNat = estimate(
      run,
      withPrices("ap-northeast-2", (r) => {
        r.natGateway = { usd: null, unit: "hour", reason: "not recorded for this test" };
      }),
    );
    const nat = line(noNat, "NAT gateways");
    assert.deepEqual([nat.low, nat.high, nat.detail], [null, null, "not recorded for this test"]);
    assert.equal(noNat.unknownLines, known.unknownLines + 1);
    assert.equal(noNat.low, Math.round((known.low - (line(known, "NAT gateways").low ?? 0)) * 100) / 100);
    assert.match(
      estimateCost(
        { resources: run.resources, region: run.identity.region, date: DEFAULT_RUN_DATE },
        withPrices("ap-northeast-2", () => {}),
      ).lines[0].unitPrice,
      /^\$0\.10\/hour$/,
    );
    // A region without prices: every line unknown, the total nothing but the zero floor of Karpenter's.
    const elsewhere = estimateCost({ resources: run.resources, region: "eu-west-3", date: DEFAULT_RUN_DATE });
    assert.equal(elsewhere.unknownLines, elsewhere.lines.length);
    assert.equal(elsewhere.low, 0);
    assert.match(line(elsewhere, "NAT gateways").detail, /no prices recorded for eu-west-3/);
  });

  it("the control plane at its support tier: extended only in extended support with the EXTENDED policy", async () => {
    const run = await runProgram();
    const onVersion = (version: string, supportType: string) =>
      line(
        estimateCost({
          resources: run.resources.map((r) =>
            r.type === PULUMI_EKS.cluster
              ? { ...r, inputs: { ...r.inputs, version, upgradePolicy: { supportType } } }
              : r,
          ),
          region: run.identity.region,
          date: DEFAULT_RUN_DATE,
        }),
        "EKS control plane",
      );
    // 1.33's standard support ended 2026-07-29 (data/aws/eks-versions.json); 1.35's runs to 2027-03-27.
    const extended = onVersion("1.33", "EXTENDED");
    assert.deepEqual(
      [extended.low, extended.quantity],
      [monthly(1, known(seoul().eksClusterExtended)), "1 cluster, extended support"],
    );
    assert.equal(onVersion("1.33", "STANDARD").low, monthly(1, known(seoul().eksCluster)));
    const waiting = onVersion("1.35", "EXTENDED");
    assert.equal(waiting.low, monthly(1, known(seoul().eksCluster)));
    assert.match(
      waiting.detail,
      /until 2027-03-27; the EXTENDED policy then keeps it at \$438\.00\/month unless upgraded/,
    );
  });

  it("with every type the pools admit priced, Karpenter's ceiling is its limits at the dearest price per vCPU or GiB", async () => {
    const run = await runProgram();
    const pools = karpenterPools(run);
    // Made-up prices for the arithmetic only: $0.05 a vCPU-hour, $0.01 more for each GiB over 4 per vCPU.
    const priceOf = (type: string) => {
      const t = offlineInstanceType(type);
      assert.ok(t?.defaultVcpus && t.memorySize);
      return t.defaultVcpus * 0.05 + Math.max(0, t.memorySize / 1024 - 4 * t.defaultVcpus) * 0.01;
    };
    const file = withPrices("ap-northeast-2", (r) => {
      for (const type of pools.flatMap((p) => p.instanceTypes))
        r.ec2Linux[type] = { usd: priceOf(type), unit: "hour", source: "https://example.com/test", read: "2026-12-01" };
    });
    const expected = pools.reduce((n, pool) => {
      const facts = pool.instanceTypes.map((t) => ({ p: priceOf(t), facts: offlineInstanceType(t) }));
      const perVcpu = Math.max(...facts.map((f) => f.p / (f.facts?.defaultVcpus ?? 1)));
      const perGib = Math.max(...facts.map((f) => f.p / ((f.facts?.memorySize ?? 1024) / 1024)));
      return n + Math.min(pool.limits.cpu * perVcpu, (pool.limits.memoryMiB / 1024) * perGib);
    }, 0);
    const karpenter = line(estimate(run, file), "Karpenter nodes");
    assert.equal(karpenter.high, Math.round(expected * HOURS_PER_MONTH * 100) / 100);
    assert.match(karpenter.detail, /at its ceiling, the NodePools' limits filled/);
  });

  it("a GPU or very large node type gets its hourly price in the capacity line; a small one does not", async () => {
    const run = await runProgram();
    assert.equal(nodeHourlyCost(run, "m7i.large"), undefined);
    assert.match(
      nodeHourlyCost(run, "g5.xlarge") ?? "",
      /^g5\.xlarge \(1 GPU\): its ap-northeast-2 price is not recorded/,
    );
    const file = withPrices("ap-northeast-2", (r) => {
      r.ec2Linux["m8i.8xlarge"] = {
        usd: 2.08144,
        unit: "hour",
        source: "https://example.com/test",
        read: "2026-12-01",
      };
    });
    assert.equal(
      nodeHourlyCost(run, "m8i.8xlarge", file),
      "m8i.8xlarge (32 vCPUs) costs $2.08144/hour each on demand, $1,519.45 a month",
    );
  });
});

async function summaryContext(config: Record<string, string> = {}): Promise<SummaryContext> {
  return {
    run: await runProgram({ config }),
    options: parseRenderArgs(["--date", DEFAULT_RUN_DATE]),
    charts: { notExpanded: "not needed here" },
    config,
  };
}

describe("cost: a change shows in changes.md before it is approved", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-cost-"));
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("natGateways perZone → single: minus two gateways and their Elastic IPs, in changes.md and on stdout", async () => {
    const [before, single] = await Promise.all([runProgram(), runProgram({ config: { natGateways: "single" } })]);
    const gone = ofType(before, AWS.natGateway).length - ofType(single, AWS.natGateway).length;
    const ips = ofType(before, AWS.eip).length - ofType(single, AWS.eip).length;
    assert.equal(gone, 2);
    const saved = monthly(gone, known(seoul().natGateway)) + monthly(ips, known(seoul().publicIpv4));
    const lines = costChangeLines(estimate(before), estimate(single));
    assert.equal(lines[0].split(",")[0], `**Cost: ${deltaText(-saved, -saved)}**`);
    assert.match(lines[0], /^\*\*Cost: −\$93\.44\/month\*\*/);
    assert.deepEqual(lines.slice(1), [
      "- NAT gateways: 3 gateways → 1 gateway (−$86.14/month)",
      "- Public IPv4 addresses: 15+ → 13+ (−$7.30/month)",
    ]);
    const markdown = changesMarkdown(
      planChanges(before, single),
      "before",
      [...before.resources, ...single.resources],
      [],
      lines,
    );
    assert.match(markdown, /unchanged\n\n\*\*Cost: −\$93\.44\/month\*\*, from about .* to about .*\n- NAT gateways/);

    // The same through the render: --against an earlier render's folder.
    const noHelm = () => Promise.reject(new HelmUnavailable("not needed here"));
    const out = (name: string) => path.join(scratch, name);
    const quiet = () => undefined;
    assert.equal(await render(["--out", out("before"), "--date", DEFAULT_RUN_DATE], quiet, quiet, noHelm, false), 0);
    const stdout: string[] = [];
    const code = await render(
      ["--out", out("after"), "--date", DEFAULT_RUN_DATE, "--config", "natGateways=single", "--against", out("before")],
      quiet,
      (l) => stdout.push(l),
      noHelm,
      false,
    );
    assert.equal(code, 0);
    assert.match(fs.readFileSync(path.join(out("after"), "changes.md"), "utf8"), /\n\*\*Cost: −\$93\.44\/month\*\*/);
    assert.match(stdout.join("\n"), /^cost −\$93\.44\/month: about \$\d+–\$\d+ per month .* → about /m);
  });

  it("the web ACL turned on: plus the ACL and one rule per rule group, a plus sign", async () => {
    const [before, team] = await Promise.all([runProgram(), runProgram({ config: TEAM_CHOICES })]);
    const acls = ofType(team, AWS.wafv2WebAcl);
    assert.equal(acls.length, 1);
    const groups = ((acls[0].inputs.rules as unknown[] | undefined) ?? []).length;
    const added = known(seoul().wafWebAcl).usd + groups * known(seoul().wafRule).usd;
    const lines = costChangeLines(estimate(before), estimate(team));
    assert.match(lines[0], new RegExp(`^\\*\\*Cost: \\+\\$${added.toFixed(2)}/month\\*\\*`));
    assert.ok(
      lines.includes(`- AWS WAF: none → 1 web ACL, ${groups} rule groups (+$${added.toFixed(2)}/month)`),
      lines.join("\n"),
    );
  });

  it("no change: said in one line", async () => {
    const run = await runProgram();
    assert.deepEqual(costChangeLines(estimate(run), estimate(run)), [
      `**Cost: no change** to the monthly estimate (${costHeadline(await summaryContext())}).`,
    ]);
    assert.equal(deltaText(0, 120), "±$0.00 to +$120.00/month");
  });
});

describe("cost: npm run refresh:prices reads the Price List API's answers", () => {
  const fixture = JSON.parse(
    fs.readFileSync(path.join(__dirname, "fixtures", "pricing-get-products.json"), "utf8"),
  ) as Record<string, GetProductsResponse[] | string>;

  /** GetProducts answered from the fixture, by service code and product family, page by NextToken. */
  function fromFixture(asked: GetProductsRequest[]) {
    return {
      getProducts: async (input: GetProductsRequest): Promise<GetProductsResponse> => {
        asked.push(input);
        const family = input.Filters?.find((f) => f.Field === "productFamily")?.Value;
        const pages = fixture[family ? `${input.ServiceCode} ${family}` : String(input.ServiceCode)];
        if (!Array.isArray(pages)) return { FormatVersion: "aws_v1", PriceList: [] };
        return pages[input.NextToken === undefined ? 0 : Number(input.NextToken.replace("page-", "")) - 1];
      },
    };
  }

  it("every page of every query, with the region and the exact filters AWS's TERM_MATCH takes", async () => {
    const asked: GetProductsRequest[] = [];
    const answers = await collectPriceAnswers(fromFixture(asked), "ap-northeast-2", () => undefined);
    const ec2 = asked.filter((a) => a.Filters?.some((f) => f.Value === "Compute Instance"));
    assert.deepEqual(
      ec2.map((a) => a.NextToken),
      [undefined, "page-2"],
      "the second page is asked for by the first's NextToken",
    );
    for (const a of asked) {
      assert.equal(a.FormatVersion, "aws_v1");
      assert.ok(a.Filters?.every((f) => f.Type === "TERM_MATCH"));
      assert.deepEqual(a.Filters?.find((f) => f.Field === "regionCode")?.Value, "ap-northeast-2");
    }
    assert.equal([...answers.values()].flat().length, 18);
  });

  it("gives each price with its SKU, rate code and offer, and leaves unanswered ones unknown with the reason", async () => {
    const answers = await collectPriceAnswers(fromFixture([]), "ap-northeast-2", () => undefined);
    const prices = regionPricesFromAnswers(
      "ap-northeast-2",
      answers,
      ["m8i.large", "c8i.large", "m7i.large"],
      "2026-12-07",
    );
    const c8i = known(prices.ec2Linux["c8i.large"]);
    assert.equal(c8i.usd, 0.10584);
    assert.equal(c8i.read, "2026-12-07");
    assert.match(
      c8i.source,
      /^AWS Price List API GetProducts \(ServiceCode AmazonEC2; regionCode=ap-northeast-2, productFamily=Compute Instance, operatingSystem=Linux, tenancy=Shared, preInstalledSw=NA, capacitystatus=Used, licenseModel=No License required, operation=RunInstances\): SKU KMWXHU8PUHRGF9DZ, rate code KMWXHU8PUHRGF9DZ\.JRTCKXETXF\.6YS6EN2CT7, '\$0\.10584 per On Demand Linux c8i\.large Instance Hour', effective 2026-09-01, offer version 20260925174521 published 2026-09-25T17:45:21Z$/,
    );
    assert.equal(known(prices.ec2Linux["m8i.large"]).usd, 0.13009, "read from the second page");
    assert.match(
      (prices.ec2Linux["m7i.large"] as { reason: string }).reason,
      /no on-demand Linux price for m7i\.large/,
    );
    assert.equal(known(prices.eksCluster).usd, 0.1);
    assert.equal(known(prices.eksClusterExtended).usd, 0.6, "extended support is billed beside the cluster's hour");
    assert.equal(known(prices.natGateway).usd, 0.059);
    assert.equal(known(prices.natGatewayData).unit, "GB");
    assert.deepEqual([known(prices.alb).usd, known(prices.nlb).usd], [0.0225, 0.0225]);
    assert.deepEqual([known(prices.albLcu).usd, known(prices.nlbNlcu).usd], [0.008, 0.006]);
    assert.equal(known(prices.publicIpv4).usd, 0.005);
    assert.match(known(prices.publicIpv4).source, /TESTIPV4INUSE001/, "the in-use address, not the idle one");
    assert.equal(known(prices.wafWebAcl).usd, 5, "not the Shield-protected web ACL's");
    assert.equal(known(prices.wafRequests).usd, 0.6, "per request in the answer, per million in the data");
    assert.equal(known(prices.ebsGp3).usd, 0.0912);
    assert.equal(known(prices.kmsKey).usd, 1);
    assert.match((prices.logsIngestion as { reason: string }).reason, /no AmazonCloudWatch product/);
    // What the refresh writes is what the data accepts, and its change report names each move.
    const refreshed = parsePrices({ ...readPrices(), regions: { "ap-northeast-2": prices } }, "refreshed");
    assert.ok(refreshed.regions["ap-northeast-2"]);
    const changes = describePriceChanges("ap-northeast-2", seoul(), prices);
    assert.ok(changes.includes("ap-northeast-2 m7i.large: $0.1239/hour → unknown"), changes.join("\n"));
    assert.ok(changes.includes("ap-northeast-2 c8g.large: $0.08976/hour → (none)"));
  });

  it("an answer not in AWS's documented shape stops the refresh, naming the field", () => {
    const [page] = fixture["AmazonEC2 Storage"] as GetProductsResponse[];
    const item = JSON.parse(String((page.PriceList as string[])[0])) as Record<string, unknown>;
    assert.equal(onDemandPrice(parsePriceListItem(JSON.stringify(item))).usd, 0.0912);
    assert.throws(() => parsePriceListItem(JSON.stringify({ ...item, publicationDate: undefined })), /publicationDate/);
    const terms = item.terms as { OnDemand: Record<string, Record<string, unknown>> };
    const [sku] = Object.keys(terms.OnDemand);
    const twice = {
      ...item,
      terms: { OnDemand: { [sku]: { ...terms.OnDemand[sku], other: Object.values(terms.OnDemand[sku])[0] } } },
    };
    assert.throws(() => onDemandPrice(parsePriceListItem(JSON.stringify(twice))), /2 on-demand terms, expected one/);
  });

  it("takes a stack and a region, and refuses anything else", () => {
    assert.deepEqual(parsePricesArgs([]), { stack: "dev", region: undefined });
    assert.deepEqual(parsePricesArgs(["--stack", "prod", "--region", "us-east-1"]), {
      stack: "prod",
      region: "us-east-1",
    });
    assert.throws(() => parsePricesArgs(["--region", "Seoul"]), /--region Seoul: expected a region/);
    assert.throws(() => parsePricesArgs(["--types"]), /unexpected argument "--types"/);
  });
});

describe("cost: the README's figure", () => {
  it("is the estimate the render gives the dev stack as it is", async () => {
    const dev = await runProgram();
    const headline = costHeadline({
      run: dev,
      options: parseRenderArgs(["--date", DEFAULT_RUN_DATE]) as SummaryContext["options"],
    });
    const range = /^about (\$[\d,]+(?:–\$[\d,]+)?) per month/.exec(headline)?.[1];
    assert.ok(range, headline);
    const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    const marker =
      readme.split("<!-- cost: dev stack monthly estimate, filled from render/summary/cost.ts -->\n")[1] ?? "";
    assert.ok(
      marker.startsWith(`Running the dev stack costs **about ${range} per month** in ap-northeast-2`),
      marker.slice(0, 120),
    );
  });
});
