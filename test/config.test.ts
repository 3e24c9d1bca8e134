import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { type ImagePlatforms, UNKNOWN_IMAGE_ARCHITECTURES } from "../apps/images";
import { EKS_VERSION_CALENDAR, isCalendarDate, supportDeadlineWarning } from "../components/cluster/eks-versions";
import { AWS, KUBERNETES } from "../components/resource-types";
import {
  APP_IMAGE_KEYS,
  type AwsFacts,
  acceptedKubernetesVersions,
  CONFIG_DEFAULTS,
  ConfigError,
  closestConfigKey,
  configWarnings,
  EKS_UNSUPPORTED_ZONE_IDS,
  isPrivateCidr,
  kubeProxyModesFor,
  MAX_KUBERNETES_MINOR,
  MIN_KUBERNETES_MINOR,
  parseConfigValues,
  previewWithoutAccess,
  resolveConfig,
  unknownConfigKeys,
} from "../config";
import zonesData from "../data/aws/availability-zones.json";
import { DEFAULT_RUN_DATE, PROJECT_ROOT, ProgramError, runProgram } from "../render/harness";
import { parseRenderArgs } from "../render/options";
import { TEAM_CHOICES } from "./shared-configs";

/** Runs the program with bad configuration; returns the problem lines. Fails if anything was registered. */
async function problemsFor(config: Record<string, string>): Promise<string[]> {
  try {
    await runProgram({ config });
  } catch (error) {
    assert.ok(error instanceof ProgramError, String(error));
    assert.ok(error.error instanceof ConfigError, `expected a ConfigError, got ${String(error.error)}`);
    assert.deepEqual(error.resources, [], "bad configuration must fail before any resource is registered");
    return [...error.error.problems];
  }
  assert.fail("the program accepted bad configuration");
}

describe("configuration", () => {
  it("Pulumi.yaml declares every key, with type, description and the same default as config/keys.ts", () => {
    const project = parseYaml(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")) as {
      config: Record<string, { type: string; description: string; default: unknown }>;
    };
    assert.deepEqual(Object.keys(project.config).sort(), Object.keys(CONFIG_DEFAULTS).sort());
    for (const [key, decl] of Object.entries(project.config)) {
      assert.ok(decl.type && decl.description, `${key} lacks a type or description`);
      assert.deepEqual(decl.default, CONFIG_DEFAULTS[key as keyof typeof CONFIG_DEFAULTS], `default of ${key}`);
    }
  });

  it("docs/configuration.md's table has every key Pulumi.yaml declares, once, with its default", () => {
    const project = parseYaml(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")) as {
      config: Record<string, { default: unknown }>;
    };
    const doc = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "configuration.md"), "utf8");
    const table = doc.split("\n| key | type | default | meaning |")[1]?.split("\n\n")[0] ?? "";
    const documented = new Map<string, string>();
    for (const row of table.split("\n").filter((l) => l.startsWith("| `"))) {
      const [keys, , defaults] = row
        .split(/(?<!\\)\|/)
        .slice(1)
        .map((c) => c.trim());
      const names = [...keys.matchAll(/`([A-Za-z0-9]+)`/g)].map((m) => m[1]);
      // One default per key, in order, each the first code span of its part ("`0` (unset)" reads 0).
      const values = defaults.split(" / ").map((d) => /`([^`]*)`/.exec(d)?.[1] ?? d);
      assert.equal(values.length, names.length, `${keys}: ${names.length} keys, ${values.length} defaults`);
      names.forEach((name, i) => {
        assert.ok(!documented.has(name), `${name} twice in the table`);
        documented.set(name, values[i]);
      });
    }
    assert.deepEqual(
      [...documented.keys()].sort(),
      Object.keys(project.config).sort(),
      "the table lists exactly the declared keys",
    );
    for (const [key, { default: value }] of Object.entries(project.config)) {
      const shown = documented.get(key) ?? "";
      const expected = typeof value === "string" ? (value === "" ? '""' : value) : JSON.stringify(value);
      assert.equal(shown, expected, `docs/configuration.md default of ${key}`);
    }
  });

  it("the dev stack is in ap-northeast-2 and picks the region's first three zones", async () => {
    const run = await runProgram();
    const zones = run.resources.filter((r) => r.type === AWS.subnet).map((r) => r.inputs.availabilityZone);
    assert.deepEqual([...new Set(zones)].sort(), ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"]);
  });

  const badCases: Array<[string, Record<string, string>, string, RegExp]> = [
    ["a malformed CIDR", { vpcCidr: "10.0.0/16" }, "vpcCidr", /IPv4 CIDR/],
    ["a CIDR with host bits", { vpcCidr: "10.0.0.1/16" }, "vpcCidr", /host bits/],
    ["a VPC prefix too small for the layout", { vpcCidr: "10.0.0.0/24" }, "vpcCidr", /\/16 to \/20/],
    ["two zones", { availabilityZones: '["ap-northeast-2a","ap-northeast-2b"]' }, "availabilityZones", /exactly three/],
    [
      "zones of another region",
      { availabilityZones: '["us-east-1a","us-east-1b","us-east-1c"]' },
      "availabilityZones",
      /zones of region ap-northeast-2.*us-east-1a/,
    ],
    [
      "a repeated zone",
      { availabilityZones: '["ap-northeast-2a","ap-northeast-2a","ap-northeast-2b"]' },
      "availabilityZones",
      /different/,
    ],
    ["an unknown NAT strategy", { natGateways: "double" }, "natGateways", /"perZone", "single"/],
    ["an unknown capacity type", { nodeCapacityType: "RESERVED" }, "nodeCapacityType", /"ON_DEMAND", "SPOT"/],
    ["fewer than three nodes", { nodeMinSize: "2" }, "nodeMinSize", /at least 3/],
    // The sizes out of order blame the key the user set, never one left at its default.
    [
      "min above the default desired size",
      { nodeMinSize: "4" },
      "nodeMinSize",
      /^eks-platform:nodeMinSize: expected at most nodeDesiredSize \(3, its default\): nodeMinSize <= nodeDesiredSize <= nodeMaxSize; lower nodeMinSize, or raise nodeDesiredSize too \(got "4"\)$/,
    ],
    [
      "min above the default max size",
      { nodeMinSize: "7" },
      "nodeMinSize",
      /^eks-platform:nodeMinSize: expected at most nodeMaxSize \(6, its default\)/,
    ],
    [
      "min above a max size the user set",
      { nodeMinSize: "5", nodeDesiredSize: "5", nodeMaxSize: "4" },
      "nodeMinSize",
      /^eks-platform:nodeMinSize: expected at most nodeMaxSize \(4\): nodeMinSize <= nodeDesiredSize <= nodeMaxSize \(got "5"\)$/,
    ],
    [
      "desired above the default max size",
      { nodeDesiredSize: "7" },
      "nodeDesiredSize",
      /expected at most nodeMaxSize \(6, its default\).* \(got "7"\)$/,
    ],
    ["a size that is not a number", { nodeMaxSize: "many" }, "nodeMaxSize", /whole number/],
    [
      "a max-pods override above what m5.large addresses without prefix delegation",
      { nodeInstanceTypes: '["m5.large"]', prefixDelegation: "false", maxPodsOverride: "30" },
      "maxPodsOverride",
      /at most 29/,
    ],
    [
      "a max-pods override above what m5.large addresses with prefix delegation",
      { nodeInstanceTypes: '["m5.large"]', maxPodsOverride: "435" },
      "maxPodsOverride",
      /at most 434/,
    ],
    [
      "an STS session as admin",
      { adminPrincipalArns: '["arn:aws:sts::123456789012:assumed-role/Admin/me"]' },
      "adminPrincipalArns",
      /IAM role or user ARNs/,
    ],
    ["an admin that is not an ARN", { adminPrincipalArns: '["alice"]' }, "adminPrincipalArns", /IAM role or user ARNs/],
    ["an empty instance-type list", { nodeInstanceTypes: "[]" }, "nodeInstanceTypes", /at least one instance type/],
    ["instance types that are not a list", { nodeInstanceTypes: "m5.large" }, "nodeInstanceTypes", /JSON list/],
    [
      "an instance type EC2 does not offer",
      { nodeInstanceTypes: '["m7i.larg"]' },
      "nodeInstanceTypes",
      /^eks-platform:nodeInstanceTypes: expected instance types EC2 offers in ap-northeast-2: m7i\.larg is not in the offline instance table \(data\/instance-types, with EC2's answers in data\/aws\/ec2-instance-types\.json\); did you mean m7i\.large\?$/,
    ],
    [
      "old x86 types listing i386 beside one Graviton type",
      { nodeInstanceTypes: '["t2.micro","t3.medium","m7g.large"]' },
      "nodeInstanceTypes",
      /one CPU architecture.*x86_64 and arm64/,
    ],
    [
      "instance types of two architectures",
      { nodeInstanceTypes: '["m7i.large","m7g.large"]' },
      "nodeInstanceTypes",
      /one CPU architecture/,
    ],
    [
      "a Kubernetes version EKS no longer runs",
      { kubernetesVersion: "1.29" },
      "kubernetesVersion",
      /expected one of "1\.34", "1\.35" on 2026-12-01 with supportType STANDARD \(with supportType EXTENDED also "1\.33"\): the versions EKS offers/,
    ],
    [
      "a Kubernetes version newer than EKS offers",
      { kubernetesVersion: "1.40" },
      "kubernetesVersion",
      /expected one of "1\.34", "1\.35"/,
    ],
    [
      "a Kubernetes version EKS offers without pinned add-ons",
      { kubernetesVersion: "1.36" },
      "kubernetesVersion",
      /^eks-platform:kubernetesVersion: expected one of "1\.34", "1\.35" on 2026-12-01 with supportType STANDARD \(with supportType EXTENDED also "1\.33"\): .*addon-versions\.json\) and that EKS runs as asked \(got "1\.36"\)$/,
    ],
    [
      "a version past standard support with the STANDARD policy (EKS would upgrade it at once)",
      { kubernetesVersion: "1.33" },
      "kubernetesVersion",
      /^eks-platform:kubernetesVersion: expected one of "1\.34", "1\.35" on 2026-12-01 with supportType STANDARD \(with supportType EXTENDED also "1\.33"\): Kubernetes 1\.33 left standard support on 2026-07-29/,
    ],
    ["an unknown support type", { supportType: "FOREVER" }, "supportType", /expected one of "STANDARD", "EXTENDED"/],
    [
      "a kube-proxy mode the pinned VPC CNI cannot run beside",
      { kubeProxyMode: "nftables" },
      "kubeProxyMode",
      /^eks-platform:kubeProxyMode: expected one of "iptables", "ipvs" \(nftables waits for the VPC CNI v1\.23\.0/,
    ],
    [
      "a kube-proxy mode that does not exist",
      { kubeProxyMode: "userspace" },
      "kubeProxyMode",
      /^eks-platform:kubeProxyMode: expected one of "iptables", "ipvs" /,
    ],
    [
      "the region set as a project key",
      { region: "us-east-1" },
      "region",
      /not a key of this project; the AWS provider reads aws:region \(pulumi config set aws:region/,
    ],
    [
      "a malformed image digest",
      { echoImage: "registry.k8s.io/echoserver@sha256:abc" },
      "echoImage",
      /image reference .*invalid reference format/,
    ],
    [
      "an image by tag that is not a default",
      { echoImage: "registry.k8s.io/echoserver:1.10" },
      "echoImage",
      /expected an image pinned by digest, such as "registry\.k8s\.io\/echoserver:1\.10@sha256:<64 hex digits>" .*crane digest/,
    ],
    [
      "another game's default tag (a reason belongs to its own image, not to any key)",
      { tetrisImage: "pengbai/docker-supermario" },
      "tetrisImage",
      /expected an image pinned by digest/,
    ],
    [
      "an upper-case repository",
      { marioImage: "Pengbai/docker-supermario" },
      "marioImage",
      /repository name must be lowercase/,
    ],
    [
      "a mistyped key",
      { nodeInstanceType: '["m5.large"]' },
      "nodeInstanceType",
      /not a key of this project; did you mean eks-platform:nodeInstanceTypes\?/,
    ],
    [
      "a malformed Kubernetes version",
      { kubernetesVersion: "v1.35.0" },
      "kubernetesVersion",
      /expected one of "1\.34", "1\.35"/,
    ],
    [
      "a prefix delegation flag that is not a boolean",
      { prefixDelegation: "yes" },
      "prefixDelegation",
      /true or false/,
    ],
    ["a malformed public access CIDR", { publicAccessCidrs: '["203.0.113.7"]' }, "publicAccessCidrs", /IPv4 CIDR/],
    ["a malformed domain", { domain: "Not A Domain" }, "domain", /DNS domain/],
    [
      "a domain with no public hosted zone",
      { domain: "shop.example.invalid" },
      "domain",
      /public Route 53 hosted zone named shop\.example\.invalid/,
    ],
    ["replicas that are not a multiple of three", { echoReplicas: "4" }, "echoReplicas", /multiple of 3/],
    ["fewer than three replicas", { marioReplicas: "1" }, "marioReplicas", /multiple of 3/],
    ["a malformed image reference", { tetrisImage: "Tetris Image!" }, "tetrisImage", /image reference/],
    [
      "a cross-zone flag that is not a boolean",
      { nlbCrossZoneLoadBalancing: "maybe" },
      "nlbCrossZoneLoadBalancing",
      /true or false/,
    ],
  ];
  for (const [what, config, key, expected] of badCases) {
    it(`rejects ${what}, naming eks-platform:${key}`, async () => {
      const problems = await problemsFor(config);
      const line = problems.find((p) => p.startsWith(`eks-platform:${key}:`));
      assert.ok(line, `no line for ${key} in:\n${problems.join("\n")}`);
      assert.match(line, expected);
    });
  }

  it("chooses default zones by zone ID, skipping one EKS refuses, and refuses such a zone when configured", async () => {
    // The offline answer maps us-east-1's names to IDs in order: us-east-1c is use1-az3, where EKS places no cluster.
    const run = await runProgram({ config: { "aws:region": "us-east-1" } });
    const zones = [
      ...new Set(run.resources.filter((r) => r.type === AWS.subnet).map((r) => String(r.inputs.availabilityZone))),
    ].sort();
    assert.deepEqual(zones, ["us-east-1a", "us-east-1b", "us-east-1d"]);
    const problems = await problemsFor({
      "aws:region": "us-east-1",
      availabilityZones: '["us-east-1a","us-east-1b","us-east-1c"]',
    });
    assert.deepEqual(problems, [
      "eks-platform:availabilityZones: expected zones EKS supports; us-east-1c (use1-az3) cannot hold an EKS cluster's subnets (EKS user guide, network-reqs.html)",
    ]);
  });

  it("refuses a mistyped AWS provider setting, naming the one meant, instead of building in the default region", async () => {
    const problems = await problemsFor({ "aws:regoin": "us-east-1" });
    assert.deepEqual(problems, [
      "aws:regoin: not a setting of the AWS provider; did you mean aws:region? (@pulumi/aws's config lists them)",
    ]);
    assert.deepEqual(unknownConfigKeys(["aws:region", "aws:profile", "aws:assumeRoles", "aws:defaultTags"]), []);
  });

  it("every value an error offers is one it accepts", async () => {
    const offered = [
      ...acceptedKubernetesVersions(CONFIG_DEFAULTS.supportType, DEFAULT_RUN_DATE).map((kubernetesVersion) => ({
        kubernetesVersion,
      })),
      ...acceptedKubernetesVersions("EXTENDED", DEFAULT_RUN_DATE).map((kubernetesVersion) => ({
        kubernetesVersion,
        supportType: "EXTENDED",
      })),
      ...kubeProxyModesFor(CONFIG_DEFAULTS.kubernetesVersion).map((kubeProxyMode) => ({ kubeProxyMode })),
    ];
    assert.equal(offered.length, 7, "two versions with STANDARD, three with EXTENDED, two modes");
    for (const config of offered) {
      const run = await runProgram({ config }).catch((e: unknown) => e);
      assert.ok(!(run instanceof Error), `${JSON.stringify(config)}, offered by an error, is refused: ${String(run)}`);
    }
  });

  it("takes image references by the distribution grammar, every app image by digest: a registry port, a digest, a tag and a digest", async () => {
    const run = await runProgram({ config: TEAM_CHOICES });
    const images = run.resources
      .filter((r) => r.type === KUBERNETES.deployment)
      .map(
        (d) =>
          (d.inputs.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec
            .containers[0].image,
      );
    for (const image of [
      TEAM_CHOICES.echoImage,
      TEAM_CHOICES.game2048Image,
      TEAM_CHOICES.tetrisImage,
      TEAM_CHOICES.marioImage,
    ])
      assert.ok(images.includes(image), image);
    assert.match(TEAM_CHOICES.echoImage, /^localhost:5000\/.*:1@sha256:/);
  });

  it("suggests the declared key closest to a mistyped one, only when one is close, and never shows its value", () => {
    assert.equal(closestConfigKey("nodeInstanceType"), "nodeInstanceTypes");
    assert.equal(closestConfigKey("NodeMinSize"), "nodeMinSize");
    assert.equal(closestConfigKey("vpcCdir"), "vpcCidr");
    assert.equal(closestConfigKey("banana"), undefined);
    const lines = unknownConfigKeys([
      "eks-platform:banana",
      "eks-platform:domain",
      "aws:region",
      "pulumi:disable-default-providers",
      "eks-platform:prefixDelgation",
    ]);
    assert.deepEqual(
      lines.map((l) => l.split(":").slice(0, 2).join(":")),
      ["eks-platform:banana", "eks-platform:prefixDelgation"],
    );
    assert.match(lines[0], /not a key of this project \(/);
    assert.match(lines[1], /did you mean eks-platform:prefixDelegation\?/);
  });

  it("refuses a namespace nothing reads, offering the nearest: a mistyped project name, the right key in a wrong namespace, a provider without settings", () => {
    const line = (key: string) => unknownConfigKeys([key])[0] ?? "";
    assert.equal(
      line("eks-platfrom:domain"),
      'eks-platfrom:domain: "eks-platfrom" is not a namespace this program reads; did you mean eks-platform:domain? (it reads eks-platform: keys, which Pulumi.yaml declares, and the AWS provider\'s aws: settings)',
    );
    // Both the namespace and the key mistyped; the key meant in another namespace; a region set on no provider.
    assert.match(line("eks-platfrom:domian"), /did you mean eks-platform:domain\?/);
    assert.match(line("project:nodeMinSize"), /did you mean eks-platform:nodeMinSize\?/);
    assert.match(line("awz:regoin"), /did you mean aws:region\?/);
    assert.match(line("foo:bar"), /^foo:bar: "foo" is not a namespace this program reads \(it reads/);
    // The providers the program uses: pulumi-eks and pulumi-command declare no settings; its Kubernetes
    // provider is explicit, so kubernetes: settings would change nothing.
    assert.match(line("eks:region"), /^eks:region: not a setting of the eks provider: @pulumi\/eks declares none$/);
    assert.match(line("command:shell"), /@pulumi\/command declares none/);
    assert.match(line("kubernetes:context"), /^kubernetes:context: not read: .*explicit provider/);
    assert.deepEqual(unknownConfigKeys(["pulumi:tags", "eks-platform:domain", "aws:region"]), []);
  });

  it("nodeMinSize above nodeMaxSize is one line blaming nodeMinSize, the key the user set, never the default nodeDesiredSize", async () => {
    const problems = await problemsFor({ nodeMinSize: "7" });
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /^eks-platform:nodeMinSize: expected at most nodeMaxSize \(6, its default\)/);
  });

  it("warns, naming each, of Karpenter's keys set while karpenter=false (a key restated at its default is not set), and of a vpcCidr outside the private ranges", async () => {
    const values = (config: Record<string, string>) => {
      const parsed = parseConfigValues(config);
      assert.ok(!Array.isArray(parsed), JSON.stringify(parsed));
      return parsed;
    };
    assert.deepEqual(
      configWarnings(
        values({ karpenter: "false", karpenterMaxVcpus: "8", karpenterCategories: '["c"]', karpenterCpuLimit: "32" }),
      ),
      [
        "eks-platform:karpenterCategories, eks-platform:karpenterMaxVcpus: no effect with eks-platform:karpenter false (they shape the NodePools Karpenter would run): remove them, or turn karpenter on",
      ],
    );
    assert.deepEqual(configWarnings(values({ karpenterMaxVcpus: "8" })), [], "with Karpenter on they are its settings");
    assert.deepEqual((await runProgram({ config: { karpenter: "false" } })).warnings, [], "karpenter=false alone");
    assert.deepEqual(configWarnings(values({ vpcCidr: "8.8.0.0/16" })), [
      "eks-platform:vpcCidr: 8.8.0.0/16 is not a private range (RFC 1918: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16; RFC 6598: 100.64.0.0/10): the internet's hosts at those addresses become unreachable from the cluster, whose traffic to them stays in the VPC",
    ]);
    // Each private range's edges: inside at both ends, outside just beyond.
    for (const cidr of [
      "10.0.0.0/16",
      "10.255.0.0/16",
      "172.16.0.0/16",
      "172.31.0.0/16",
      "192.168.0.0/16",
      "100.64.0.0/16",
      "100.127.0.0/16",
    ])
      assert.ok(isPrivateCidr(cidr), cidr);
    for (const cidr of [
      "11.0.0.0/16",
      "172.15.0.0/16",
      "172.32.0.0/16",
      "192.169.0.0/16",
      "100.63.0.0/16",
      "100.128.0.0/16",
    ])
      assert.ok(!isPrivateCidr(cidr), cidr);
  });

  it("past the calendar, a version error says what to do, never offers an empty list, on any day of the coming years", () => {
    const defaults = { kubernetesVersion: "1.35" };
    for (
      let day = Date.parse("2026-01-01T00:00:00Z");
      day <= Date.parse("2030-12-31T00:00:00Z");
      day += 7 * 86_400_000
    ) {
      const date = new Date(day).toISOString().slice(0, 10);
      for (const supportType of ["STANDARD", "EXTENDED"]) {
        const result = parseConfigValues({ ...defaults, supportType }, date);
        if (!Array.isArray(result)) continue;
        for (const line of result) {
          assert.doesNotMatch(line, /one of (\s|on|\()/, `${date} ${supportType}: ${line}`);
          assert.match(
            line,
            /expected one of "1\.\d+"|no version this project pins is in (standard|any) support on/,
            `${date}: ${line}`,
          );
        }
      }
    }
    const late = parseConfigValues(defaults, "2027-04-01") as string[];
    assert.match(
      late[0],
      /no version this project pins is in standard support on 2027-04-01 \(with supportType EXTENDED also "1\.33", "1\.34", "1\.35"\): npm run refresh brings newer add-on pins/,
    );
    const gone = parseConfigValues({ ...defaults, supportType: "EXTENDED" }, "2029-01-01") as string[];
    assert.match(gone[0], /no version this project pins is in any support on 2029-01-01: npm run refresh/);
  });

  it("warns within 60 days of a support deadline, with the days left, and not before", () => {
    assert.equal(supportDeadlineWarning("1.35", "STANDARD", "2027-01-25"), undefined, "61 days ahead");
    assert.match(
      supportDeadlineWarning("1.35", "STANDARD", "2027-01-26") ?? "",
      /^Kubernetes 1\.35: in 60 days \(2027-03-27\) standard support ends and EKS upgrades the control plane/,
    );
    assert.match(
      supportDeadlineWarning("1.35", "EXTENDED", "2027-03-26") ?? "",
      /in 1 day \(2027-03-27\) standard support ends and extended support, at extra cost/,
    );
    assert.match(
      supportDeadlineWarning("1.35", "EXTENDED", "2028-02-01") ?? "",
      /in 55 days \(2028-03-27\) extended support ends/,
    );
    assert.equal(
      supportDeadlineWarning("1.35", "EXTENDED", "2028-03-27"),
      undefined,
      "past both deadlines: the version is refused instead",
    );
  });

  it("a date is a day of the calendar: --date and EKS_PLATFORM_DATE refuse 2026-02-30", () => {
    assert.throws(() => parseRenderArgs(["--date", "2026-02-30"]), /--date 2026-02-30: expected a day of the calendar/);
    assert.throws(() => parseRenderArgs(["--date", "2026-13-01"]), /expected a day of the calendar/);
    assert.equal(parseRenderArgs(["--date", "2028-02-29"]).date, "2028-02-29");
    assert.equal(isCalendarDate("2027-02-29"), false);
  });

  it("offers the Kubernetes versions of EKS's calendar (data/aws/eks-versions.json), oldest to newest", () => {
    const minors = Object.keys(EKS_VERSION_CALENDAR).map((v) => Number(v.split(".")[1]));
    assert.deepEqual([MIN_KUBERNETES_MINOR, MAX_KUBERNETES_MINOR], [Math.min(...minors), Math.max(...minors)]);
    assert.deepEqual([MIN_KUBERNETES_MINOR, MAX_KUBERNETES_MINOR], [33, 36], "the calendar recorded today");
  });

  it("reports every bad key at once, one line each", async () => {
    const problems = await problemsFor({
      vpcCidr: "banana",
      natGateways: "none",
      nodeMinSize: "1",
      adminPrincipalArns: '["bob"]',
    });
    assert.deepEqual(problems.map((p) => p.split(":")[1]).sort(), [
      "adminPrincipalArns",
      "natGateways",
      "nodeMinSize",
      "vpcCidr",
    ]);
  });
});

// ---------------------------------------------------------------- runtime

type Version = [number, number, number];

function parseVersion(text: string): Version {
  const [major, minor, patch] = text
    .replace(/^v/, "")
    .split(".")
    .map((n) => Number(n));
  return [major, minor ?? 0, patch ?? 0];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * Whether a version satisfies an npm `engines` range: `||` of space-separated comparators (`>=`, `>`, `<`,
 * `<=`, `=`, `^`, `~`, bare or partial versions such as `20` or `20.17`), the forms package-lock.json holds.
 * https://docs.npmjs.com/cli/v10/configuring-npm/package-json#engines, https://github.com/npm/node-semver#ranges
 */
function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  return range.split("||").some((set) =>
    set
      // ">= 18.0.0" is ">=18.0.0".
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, "$1")
      .trim()
      .split(/\s+/)
      .filter((c) => c !== "")
      .every((comparator) => {
        const [, op, ver] = /^(>=|<=|>|<|=|\^|~)?\s*v?([\dx*.]+)$/.exec(comparator) ?? [];
        if (ver === undefined) throw new Error(`cannot read the range comparator "${comparator}" in "${range}"`);
        if (ver === "*" || ver === "x") return true;
        const parts = ver.split(".").filter((p) => p !== "x" && p !== "*");
        const base = parseVersion(ver);
        const c = compare(v, base);
        // The first version a partial (20, 20.17), caret or tilde range no longer covers.
        const next = (): Version => {
          if (op === "^") return base[0] > 0 || parts.length === 1 ? [base[0] + 1, 0, 0] : [0, base[1] + 1, 0];
          if (op === "~") return parts.length === 1 ? [base[0] + 1, 0, 0] : [base[0], base[1] + 1, 0];
          return parts.length === 1
            ? [base[0] + 1, 0, 0]
            : parts.length === 2
              ? [base[0], base[1] + 1, 0]
              : [base[0], base[1], base[2] + 1];
        };
        switch (op) {
          case ">=":
            return c >= 0;
          case ">":
            return c > 0;
          case "<":
            return c < 0;
          case "<=":
            return c <= 0;
          default:
            return c >= 0 && compare(v, next()) < 0;
        }
      }),
  );
}

describe("runtime", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as {
    engines: { node: string };
  };
  const lock = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package-lock.json"), "utf8")) as {
    packages: Record<string, { engines?: { node?: string } | string[]; version?: string }>;
  };
  const minimum = /^>=\s*(\d+\.\d+\.\d+)$/.exec(pkg.engines.node)?.[1];

  it("package.json states the oldest Node every pinned dependency supports (npm ci warns EBADENGINE otherwise)", () => {
    assert.ok(minimum, `engines.node should read ">=x.y.z", got "${pkg.engines.node}"`);
    const unsupported = Object.entries(lock.packages)
      .filter(([name, p]) => name !== "" && !Array.isArray(p.engines) && p.engines?.node)
      .filter(([, p]) => !satisfies(minimum, String((p.engines as { node: string }).node)))
      .map(
        ([name, p]) =>
          `${name.replace(/^.*node_modules\//, "")}@${p.version} needs node ${(p.engines as { node: string }).node}`,
      );
    assert.deepEqual(unsupported, []);
  });

  it("the README and docs/development.md state the same runtime, and the Node version the tests are known to pass on", () => {
    const [major, minor] = (minimum ?? "").split(".");
    const runtime = new RegExp(`Node\\.js ${major}\\.${minor} or newer`);
    // The README's first screen, beside the two commands.
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    const tryIt = readme.split("\n## ")[1] ?? "";
    assert.match(tryIt, runtime);
    assert.match(tryIt, /^npm ci && npm run render/m);
    const development = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "development.md"), "utf8");
    const prerequisites = development.split("## Prerequisites")[1]?.split("\n## ")[0] ?? "";
    assert.match(prerequisites, runtime);
    assert.match(prerequisites, /known to pass on Node(\.js)? \d+\.\d+\.\d+/);
  });

  it("reads the ranges package-lock.json holds", () => {
    assert.equal(satisfies("22.19.0", ">=22"), true);
    assert.equal(satisfies("20.20.2", ">=22"), false);
    assert.equal(satisfies("22.19.0", "^20.17.0 || >=22.9.0"), true);
    assert.equal(satisfies("21.0.0", "^20.17.0 || >=22.9.0"), false);
    assert.equal(satisfies("22.19.0", "18 || 20 || >=22"), true);
    assert.equal(satisfies("21.1.0", "18 || 20 || >=22"), false);
    assert.equal(satisfies("22.19.0", ">=9.3.0 || >=8.10.0 <9.0.0"), true);
    assert.equal(satisfies("22.18.0", ">=22.19.0"), false);
    assert.equal(satisfies("14.18.0", ">=16 || 14 >=14.17"), true);
    assert.equal(satisfies("0.5.0", "^0.4.1"), false);
    assert.equal(satisfies("22.19.0", ">= 18.0.0"), true);
  });
});

describe("configuration: the nodes' CPU architecture", () => {
  // EC2 lists i386 beside x86_64 for old Xen types (t2, m3, ...): no EKS image is built for it, so it must
  // not make t2.micro and t3.medium look like two architectures.
  const limits = { maxEnis: 3, ipv4PerEni: 6, vcpus: 2, nitro: false };
  const facts = (architectures: Record<string, string[]>): AwsFacts => ({
    zones: ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"],
    // Room enough for the program: this test is about architectures, not capacity.
    instanceTypes: Object.fromEntries(
      Object.entries(architectures).map(([type, archs]) => [
        type,
        { limits, architectures: archs, memoryMiB: 16384, gpus: 0 },
      ]),
    ),
    accountId: "123456789012",
    partition: "aws",
    deployerArn: "arn:aws:iam::123456789012:user/deployer",
    nodeImages: {
      [`amazon-eks-node-al2023-x86_64-standard-${CONFIG_DEFAULTS.kubernetesVersion}-${CONFIG_DEFAULTS.nodeImageRelease}`]:
        { id: "ami-x86" },
      [`amazon-eks-node-al2023-arm64-standard-${CONFIG_DEFAULTS.kubernetesVersion}-${CONFIG_DEFAULTS.nodeImageRelease}`]:
        { id: "ami-arm" },
    },
  });
  const resolve = (types: Record<string, string[]>, stack = "dev", more: Record<string, string> = {}) => {
    const values = parseConfigValues({ nodeInstanceTypes: JSON.stringify(Object.keys(types)), ...more });
    assert.ok(!Array.isArray(values), "the values parse");
    return resolveConfig(values, facts(types), { project: "eks-platform", stack, region: "ap-northeast-2" });
  };

  it("a preview by an identity without access to the cluster (the read-only preview role) goes on with a warning; its pulumi up is refused", () => {
    const ci = "arn:aws:iam::123456789012:role/ci-deploy";
    const previewRole = "arn:aws:iam::123456789012:role/ci-preview";
    const values = parseConfigValues({ adminPrincipalArns: JSON.stringify([ci]) });
    assert.ok(!Array.isArray(values));
    const existing = {
      ...facts({ "m7i.large": ["x86_64"] }),
      deployerArn: previewRole,
      clusterAccess: { exists: true, foreignEntries: [ci] },
    };
    const context = { project: "eks-platform", stack: "dev", region: "ap-northeast-2" };
    const up = resolveConfig(values, existing, context);
    assert.ok(Array.isArray(up));
    assert.match(
      up.join("\n"),
      /adminPrincipalArns: expected the identity running this deploy \(arn:aws:iam::123456789012:role\/ci-preview\)/,
    );
    const preview = resolveConfig(values, existing, { ...context, preview: true });
    assert.ok(!Array.isArray(preview), JSON.stringify(preview));
    assert.deepEqual(preview.warnings, [previewWithoutAccess(previewRole)]);
    // The preview grants the previewing identity nothing: the entries are the admins' as for the deploy role.
    const byCi = resolveConfig(values, { ...existing, deployerArn: ci }, context);
    assert.ok(!Array.isArray(byCi));
    assert.deepEqual(preview.adminAccess, byCi.adminAccess);
    assert.deepEqual(byCi.warnings, []);
  });

  it("every commercial region of the offline data resolves three zones EKS supports, or is refused saying why (us-west-1 has two)", () => {
    const data = zonesData as { regions: Record<string, Array<{ name: string; id: string }>> };
    assert.ok(Object.keys(data.regions).length >= 34);
    const values = parseConfigValues({});
    assert.ok(!Array.isArray(values));
    for (const [region, zones] of Object.entries(data.regions)) {
      const resolved = resolveConfig(
        values,
        {
          ...facts({ "m7i.large": ["x86_64"] }),
          zones: zones.map((z) => z.name).sort(),
          zoneIds: Object.fromEntries(zones.map((z) => [z.name, z.id])),
        },
        { project: "eks-platform", stack: "dev", region },
      );
      if (region === "us-west-1") {
        assert.ok(Array.isArray(resolved));
        assert.match(resolved[0], /region us-west-1 has only 2 standard zones EKS supports/);
        continue;
      }
      assert.ok(!Array.isArray(resolved), `${region}: ${JSON.stringify(resolved)}`);
      assert.equal(resolved.availabilityZones.length, 3, region);
      for (const zone of resolved.availabilityZones)
        assert.ok(
          !EKS_UNSUPPORTED_ZONE_IDS.includes(data.regions[region].find((z) => z.name === zone)?.id ?? ""),
          `${region} ${zone}`,
        );
    }
  });

  it("refuses a stack whose cluster name EKS refuses, or, with Karpenter, one too long for its SQS queue's name (80)", () => {
    const m5 = { "m5.large": ["x86_64"] };
    const long = "s".repeat(80 - "eks-platform-".length + 1);
    assert.deepEqual(resolve(m5, long), [
      `stack name: the cluster name "eks-platform-${long}" has 81 characters; Karpenter's interruption queue is named after it and SQS allows 80 (shorten the stack name, or set eks-platform:karpenter false)`,
    ]);
    // Without Karpenter the three nodes must hold every app at its autoscaler's ceiling: 6 fits them.
    assert.ok(
      !Array.isArray(resolve(m5, long, { karpenter: "false", appMaxReplicas: "6" })),
      "81 characters are fine for EKS alone",
    );
    assert.ok(!Array.isArray(resolve(m5, long.slice(1))), "80 are fine for SQS");
    assert.deepEqual(resolve(m5, "dev.eu"), [
      'stack name: the cluster name "eks-platform-dev.eu" must be 1-100 letters, digits, - or _',
    ]);
  });

  it("accepts i386+x86_64 types beside x86_64 ones, on the x86_64 image", () => {
    const resolved = resolve({ "t2.micro": ["i386", "x86_64"], "t3.medium": ["x86_64"] });
    assert.ok(!Array.isArray(resolved), `refused: ${JSON.stringify(resolved)}`);
    assert.equal(resolved.nodeImage.id, "ami-x86");
  });

  it("refuses x86_64 beside arm64, and picks the arm64 image for Graviton alone", () => {
    const mixed = resolve({ "t3.medium": ["x86_64"], "m7g.large": ["arm64"] });
    assert.ok(
      Array.isArray(mixed) && mixed.some((p) => /one CPU architecture/.test(p)),
      "mixed architectures are refused",
    );
    // The default apps' images publish no arm64 build: on a Graviton group their floors could not run.
    const graviton = resolve({ "m7g.large": ["arm64"] });
    assert.ok(Array.isArray(graviton));
    assert.deepEqual(
      graviton.map((p) => p.split(":")[1]),
      ["echoArchitectures", "game2048Architectures", "tetrisArchitectures", "marioArchitectures"],
      "each app's architectures key is named",
    );
    assert.match(
      graviton[0],
      /runs on amd64 .* but the managed node group, where its floor of replicas runs, is arm64/,
    );
    const everywhere = JSON.stringify(["amd64", "arm64"]);
    const arm = resolve(
      { "m7g.large": ["arm64"] },
      "dev",
      Object.fromEntries(Object.values(APP_IMAGE_KEYS).map((k) => [k.architectures, everywhere])),
    );
    assert.ok(!Array.isArray(arm), `Graviton resolves once every image runs on arm64: ${JSON.stringify(arm)}`);
    assert.equal(arm.nodeImage.id, "ami-arm");
    assert.deepEqual(arm.appPlatforms.echo, { architectures: ["amd64", "arm64"], why: "as `echoArchitectures` says" });
  });
  // What each app's image runs on, on an amd64 group (the same facts, one type).
  const resolveWith = (config: Record<string, string>) => resolve({ "m7i.large": ["x86_64"] }, "dev", config);

  it("an image of unknown platforms runs on amd64 only, and Karpenter's default launches exactly what every default image runs on", () => {
    const resolved = resolveWith({});
    assert.ok(!Array.isArray(resolved), JSON.stringify(resolved));
    for (const [app, keys] of Object.entries(APP_IMAGE_KEYS)) {
      const platforms: ImagePlatforms = resolved.appPlatforms[app as keyof typeof APP_IMAGE_KEYS];
      assert.deepEqual(platforms.architectures, UNKNOWN_IMAGE_ARCHITECTURES, app);
      assert.match(platforms.why, new RegExp(`amd64 unless \`${keys.architectures}\``), app);
      for (const arch of CONFIG_DEFAULTS.karpenterArchitectures)
        assert.ok(platforms.architectures.includes(arch), `Karpenter's default ${arch} runs ${app}`);
    }
    assert.deepEqual(UNKNOWN_IMAGE_ARCHITECTURES, ["amd64"]);
  });

  it("refuses a Karpenter that could launch no node an app runs on, naming karpenterArchitectures; without Karpenter the key has no say", () => {
    const arm = resolveWith({ karpenterArchitectures: '["arm64"]' });
    assert.ok(Array.isArray(arm));
    assert.equal(arm.length, 4, arm.join("\n"));
    for (const line of arm)
      assert.match(line, /^eks-platform:karpenterArchitectures: expected an architecture \S+ runs on \(amd64/);
    // Once one app says it runs on arm64, only the others are refused.
    const tetrisArm = resolveWith({ karpenterArchitectures: '["arm64"]', tetrisArchitectures: '["arm64","amd64"]' });
    assert.ok(Array.isArray(tetrisArm));
    assert.equal(tetrisArm.filter((p) => / tetris runs on /.test(p)).length, 0);
    assert.equal(tetrisArm.length, 3);
    assert.ok(
      !Array.isArray(resolveWith({ karpenterArchitectures: '["arm64"]', karpenter: "false", appMaxReplicas: "6" })),
    );
  });

  it("refuses an app said to run only where the managed group is not, naming its key; refuses a repeated or unknown architecture", () => {
    const armOnly = resolveWith({ marioArchitectures: '["arm64"]', karpenterArchitectures: '["amd64","arm64"]' });
    assert.ok(Array.isArray(armOnly));
    assert.deepEqual(
      armOnly.map((p) => p.split(":")[1]),
      ["marioArchitectures"],
    );
    assert.match(
      armOnly[0],
      /mario runs on arm64 \(as `marioArchitectures` says\), but the managed node group, where its floor of replicas runs, is amd64/,
    );
    const repeated = parseConfigValues({ echoArchitectures: '["amd64","amd64"]' });
    assert.ok(
      Array.isArray(repeated) && /echoArchitectures.*each architecture once/.test(repeated.join()),
      String(repeated),
    );
    const unknown = parseConfigValues({ echoArchitectures: '["x86_64"]' });
    assert.ok(
      Array.isArray(unknown) && /echoArchitectures.*expected architectures among/.test(unknown.join()),
      String(unknown),
    );
  });
});
