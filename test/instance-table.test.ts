import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { type InstanceNetworkLimits, limitsFromEc2, maxPods } from "../components/cluster/max-pods";
import {
  buildRows,
  generateTable,
  gitBlobId,
  type InstanceTable,
  parseArgs,
  parseAutoscalerInstanceTypes,
  parseVpcCniLimits,
  renderTable,
} from "../data/instance-types/generate";
import {
  OFFLINE_INSTANCE_TABLE_SOURCE,
  type OfflineInstanceTypeAnswer,
  offlineGetInstanceType,
  offlineInstanceType,
  offlineInstanceTypeNames,
} from "../data/instance-types/index";
import sample from "./fixtures/eni-max-pods-sample.json";

const TABLE_FILE = path.join(__dirname, "..", "data", "instance-types", "instance-types.json");

function answerFor(type: string): OfflineInstanceTypeAnswer {
  const answer = offlineInstanceType(type);
  assert.ok(answer, `${type} is in the offline table`);
  return answer;
}

/**
 * Limits as the program reads them. Uncapped max pods never read vCPUs, so a type the autoscaler list lacks
 * (vCPUs null) is still checked here with 0; the capped value is the consumer's to refuse (offlineGetInstanceType).
 */
function limitsOf(type: string): InstanceNetworkLimits {
  const answer = answerFor(type);
  return limitsFromEc2({ ...answer, defaultVcpus: answer.defaultVcpus ?? 0 });
}

const UNCAPPED = { prefixDelegation: false, cap: false } as const;

describe("the offline instance table reproduces AWS's max pods", () => {
  it(`matches every sampled row of AWS's eni-max-pods.txt (${sample.rows.length} rows)`, () => {
    for (const row of sample.rows) {
      assert.equal(maxPods(limitsOf(row.instanceType), UNCAPPED), row.expected, row.instanceType);
    }
  });

  // Expected max pods: AWS's eni-max-pods.txt (aws/amazon-vpc-cni-k8s v1.23.1 misc/eni-max-pods.txt); vCPUs and
  // architectures as EC2 DescribeInstanceTypes reports them.
  const named: Array<[type: string, pods: number, vcpus: number, arch: string, hypervisor: string]> = [
    ["m5.large", 29, 2, "x86_64", "nitro"],
    ["c7a.2xlarge", 58, 8, "x86_64", "nitro"],
    ["r7g.xlarge", 58, 4, "arm64", "nitro"],
    ["i4i.large", 29, 2, "x86_64", "nitro"],
    ["g5.xlarge", 58, 4, "x86_64", "nitro"],
    ["t2.micro", 4, 1, "x86_64", "xen"],
    ["m5.metal", 737, 96, "x86_64", ""],
  ];
  for (const [type, pods, vcpus, arch, hypervisor] of named) {
    it(`${type}: ${pods} pods, ${vcpus} vCPUs, ${arch}, hypervisor "${hypervisor}"`, () => {
      const answer = answerFor(type);
      assert.equal(maxPods(limitsOf(type), UNCAPPED), pods);
      assert.equal(answer.defaultVcpus, vcpus);
      assert.deepEqual(answer.supportedArchitectures, [arch]);
      assert.equal(answer.hypervisor, hypervisor);
      assert.equal(answer.instanceType, type);
    });
  }

  it("c7a.2xlarge, which the old fixture lacked, renders: 110 with prefix delegation", () => {
    assert.equal(maxPods(limitsOf("c7a.2xlarge"), { prefixDelegation: true }), 110);
  });

  it("m5.metal is bare metal with no hypervisor, so prefix delegation does not apply", () => {
    assert.equal(answerFor("m5.metal").bareMetal, true);
    assert.equal(limitsOf("m5.metal").nitro, false);
    assert.equal(answerFor("m5.large").bareMetal, false);
  });

  it("trn1.32xlarge counts the default network card only: 5 × 49 + 2 = 247, not 40 ENIs' worth", () => {
    const answer = answerFor("trn1.32xlarge");
    assert.equal(answer.networkCards.length, 8);
    assert.equal(answer.maximumNetworkInterfaces, 40);
    assert.equal(answer.defaultNetworkCardIndex, 0);
    assert.equal(limitsOf("trn1.32xlarge").maxEnis, 5);
    assert.equal(maxPods(limitsOf("trn1.32xlarge"), UNCAPPED), 247);
    assert.equal(maxPods(limitsOf("trn1.32xlarge"), { prefixDelegation: true }), 250, "128 vCPUs: the 250 cap");
  });
});

describe("the offline instance table covers every type and says where it comes from", () => {
  const errorOf = (name: string): string => {
    const result = offlineGetInstanceType(name);
    return "error" in result ? result.error : "";
  };

  it("holds more than 1000 instance types", () => {
    assert.ok(offlineInstanceTypeNames().length > 1000, String(offlineInstanceTypeNames().length));
  });

  it("answers undefined for a type it does not hold; the mock's error says where the table is in one clause, and offers the nearest names or the family's sizes", () => {
    assert.equal(offlineInstanceType("m5.enormous"), undefined);
    assert.equal(offlineInstanceType("constructor"), undefined);
    assert.deepEqual(offlineGetInstanceType("m5.enormous"), {
      error:
        "m5.enormous is not in the offline instance table (data/instance-types, with EC2's answers in data/aws/ec2-instance-types.json); m5 comes in large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, 24xlarge, metal",
    });
    assert.match(errorOf("m7i.larg"), /; did you mean m7i\.large\?$/);
    assert.match(errorOf("m7x.large"), /; did you mean m7a\.large, m7g\.large or m7i\.large\?$/);
    assert.match(errorOf("banana"), /ec2-instance-types\.json\)$/, "nothing near, no family: no offer");
  });

  it("names every upstream file at a full commit", () => {
    assert.match(
      OFFLINE_INSTANCE_TABLE_SOURCE,
      /^aws\/amazon-vpc-cni-k8s@[0-9a-f]{40} pkg\/vpc\/vpc_ip_resource_limit\.go( \+ kubernetes\/autoscaler@[0-9a-f]{40} cluster-autoscaler\/cloudprovider\/aws\/ec2_instance_types\.go)+$/,
    );
  });

  it("refuses, rather than guesses, vCPUs and architecture the autoscaler list lacks", () => {
    const gaps = offlineInstanceTypeNames().filter((t) => answerFor(t).defaultVcpus === null);
    assert.ok(gaps.includes("trn2.3xlarge"), "trn2.3xlarge is in no autoscaler list the table was generated from");
    for (const type of gaps) {
      assert.equal(answerFor(type).supportedArchitectures, null, type);
      const result = offlineGetInstanceType(type);
      assert.ok("error" in result && result.error.includes("without its vCPUs and CPU architecture"), type);
    }
    const known = offlineGetInstanceType("m5.large");
    assert.ok("answer" in known && known.answer.defaultVcpus === 2);
  });

  it("is in the generator's canonical form (sorted, one type per line) and its counts are right", () => {
    const text = fs.readFileSync(TABLE_FILE, "utf8");
    const table = JSON.parse(text) as InstanceTable;
    assert.equal(renderTable(table), text, "regenerate instead of editing by hand");
    const rows = Object.values(table.instanceTypes);
    assert.equal(table.source.counts.instanceTypes, rows.length);
    assert.equal(table.source.counts.withoutVcpus, rows.filter((r) => r.vcpus === null).length);
  });
});

// ---------------------------------------------------------------- the generator's parsers

// Shaped like the upstream files (gofmt alignment, multi-card entries, "unknown" hypervisor), so a change of
// their format upstream shows here as a failing parse, not as a silently thinner table.
const CNI_SNIPPET = `
package vpc

// InstanceNetworkingLimits contains a mapping from instance type to networking limits.
var instanceNetworkingLimits = map[string]InstanceTypeLimits{
	"m5.large": {
		ENILimit:                3,
		IPv4Limit:               10,
		DefaultNetworkCardIndex: 0,
		NetworkCards: []NetworkCard{
			{
				MaximumNetworkInterfaces: 3,
				NetworkCardIndex:         0,
			},
		},
		HypervisorType: "nitro",
		IsBareMetal:    false,
	},
	/* a comment between entries */
	"x9.metal": {
		IsBareMetal: true, // fields in another order
		HypervisorType: "unknown",
		NetworkCards: []NetworkCard{
			{NetworkCardIndex: 0, MaximumNetworkInterfaces: 7},
			{NetworkCardIndex: 1, MaximumNetworkInterfaces: 2},
		},
		DefaultNetworkCardIndex: 0,
		IPv4Limit: 50,
		ENILimit: 7,
	},
}
`;

const AUTOSCALER_SNIPPET = `
package aws

var InstanceTypes = map[string]*InstanceType{
	"m5.large": {
		InstanceType: "m5.large",
		VCPU:         2,
		MemoryMb:     8192,
		GPU:          0,
		Architecture: "amd64",
	},
	"r7g.xlarge": {
		InstanceType: "r7g.xlarge",
		VCPU:         4,
		MemoryMb:     32768,
		GPU:          0,
		Architecture: "arm64",
	},
}
`;

describe("the generator reads the upstream Go files", () => {
  it("parses the VPC CNI's limits, fields in any order, comments ignored", () => {
    const limits = parseVpcCniLimits(CNI_SNIPPET);
    assert.deepEqual([...limits.keys()], ["m5.large", "x9.metal"]);
    assert.deepEqual(limits.get("x9.metal"), {
      eniLimit: 7,
      ipv4Limit: 50,
      defaultNetworkCardIndex: 0,
      networkCards: [
        { networkCardIndex: 0, maximumNetworkInterfaces: 7 },
        { networkCardIndex: 1, maximumNetworkInterfaces: 2 },
      ],
      hypervisorType: "unknown",
      isBareMetal: true,
    });
  });

  it("parses the autoscaler's vCPUs, memory and GPUs, and writes amd64 as EC2's x86_64", () => {
    const cpus = parseAutoscalerInstanceTypes(AUTOSCALER_SNIPPET);
    assert.deepEqual(Object.fromEntries(cpus), {
      "m5.large": { vcpus: 2, memoryMib: 8192, gpus: 0, architecture: "x86_64" },
      "r7g.xlarge": { vcpus: 4, memoryMib: 32768, gpus: 0, architecture: "arm64" },
    });
  });

  it('joins them: unknown hypervisor becomes "", a type missing from the autoscaler list gets nulls', () => {
    const rows = buildRows(parseVpcCniLimits(CNI_SNIPPET), [parseAutoscalerInstanceTypes(AUTOSCALER_SNIPPET)]);
    assert.deepEqual(rows["m5.large"], {
      architectures: ["x86_64"],
      bareMetal: false,
      defaultNetworkCardIndex: 0,
      hypervisor: "nitro",
      ipv4PerEni: 10,
      maxEnis: 3,
      networkCards: [3],
      vcpus: 2,
      memoryMib: 8192,
      gpus: 0,
    });
    assert.deepEqual(rows["x9.metal"], {
      architectures: null,
      bareMetal: true,
      defaultNetworkCardIndex: 0,
      hypervisor: "",
      ipv4PerEni: 50,
      maxEnis: 7,
      networkCards: [7, 2],
      vcpus: null,
      memoryMib: null,
      gpus: null,
    });
  });

  const broken: Array<[string, () => unknown, RegExp]> = [
    [
      "a renamed field",
      () => parseVpcCniLimits(CNI_SNIPPET.replace("IPv4Limit:               10", "IPv4Limits: 10")),
      /m5\.large: field IPv4Limit is missing/,
    ],
    [
      "a renamed map",
      () => parseVpcCniLimits(CNI_SNIPPET.replace("instanceNetworkingLimits", "limits")),
      /no map literal/,
    ],
    [
      "a non-numeric limit",
      () => parseVpcCniLimits(CNI_SNIPPET.replace("ENILimit: 7", "ENILimit: seven")),
      /x9\.metal\.ENILimit/,
    ],
    [
      "an unknown hypervisor",
      () => buildRows(parseVpcCniLimits(CNI_SNIPPET.replace('"unknown"', '"kvm"')), []),
      /x9\.metal: unexpected HypervisorType "kvm"/,
    ],
    [
      "ENILimit other than the default card's",
      () => buildRows(parseVpcCniLimits(CNI_SNIPPET.replace("ENILimit: 7", "ENILimit: 9")), []),
      /x9\.metal: ENILimit 9 differs/,
    ],
    [
      "an unknown architecture",
      () => parseAutoscalerInstanceTypes(AUTOSCALER_SNIPPET.replace('"arm64"', '"riscv64"')),
      /r7g\.xlarge: unexpected Architecture "riscv64"/,
    ],
    [
      "a missing VCPU",
      () => parseAutoscalerInstanceTypes(AUTOSCALER_SNIPPET.replace("VCPU:         2,", "")),
      /m5\.large: field VCPU is missing/,
    ],
    [
      "a duplicated type",
      () =>
        parseAutoscalerInstanceTypes(
          AUTOSCALER_SNIPPET.replace(
            '"r7g.xlarge": {\n\t\tInstanceType: "r7g.xlarge"',
            '"m5.large": {\n\t\tInstanceType: "m5.large"',
          ),
        ),
      /m5\.large appears twice/,
    ],
    [
      "a short commit",
      () =>
        generateTable({
          vpcCniSource: Buffer.from(CNI_SNIPPET),
          vpcCniCommit: "b5218838",
          autoscaler: [{ source: Buffer.from(AUTOSCALER_SNIPPET), commit: "55c37cd5eb550756c5ccc5a89e9068d77797e575" }],
        }),
      /full 40-character/,
    ],
  ];
  for (const [what, run, error] of broken) {
    it(`fails on ${what}`, () => assert.throws(run, error));
  }

  it("records git blob ids, so the files read can be checked against the named commits", () => {
    // `printf 'hello\n' | git hash-object --stdin`
    assert.equal(gitBlobId(Buffer.from("hello\n")), "ce013625030ba8dba906f756967f9e9ca394464a");
  });

  it("writes the same bytes for the same inputs, with the sources and the command in the header", () => {
    const inputs = {
      vpcCniSource: Buffer.from(CNI_SNIPPET),
      vpcCniCommit: "b52188387f2e2f10bf289ace929d6a63b176a4fa",
      autoscaler: [{ source: Buffer.from(AUTOSCALER_SNIPPET), commit: "55c37cd5eb550756c5ccc5a89e9068d77797e575" }],
    };
    const text = renderTable(generateTable(inputs));
    assert.equal(renderTable(generateTable(inputs)), text);
    const table = JSON.parse(text) as InstanceTable;
    assert.deepEqual(Object.keys(table), ["source", "instanceTypes"]);
    assert.deepEqual(
      table.source.upstream.map((u) => [u.repo, u.path, u.commit]),
      [
        ["aws/amazon-vpc-cni-k8s", "pkg/vpc/vpc_ip_resource_limit.go", inputs.vpcCniCommit],
        [
          "kubernetes/autoscaler",
          "cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go",
          inputs.autoscaler[0].commit,
        ],
      ],
    );
    assert.match(table.source.command, /--vpc-cni-commit b52188387f2e2f10bf289ace929d6a63b176a4fa/);
    assert.deepEqual(table.source.counts, { instanceTypes: 2, withoutArchitectures: 1, withoutVcpus: 1 });
  });

  it("takes a type's facts from the first autoscaler list holding it, and names the types a later list gave", () => {
    // A newer list that lacks m5.large (EC2 retired it) and holds x9.metal, with another m5.large answer.
    const newer = AUTOSCALER_SNIPPET.replace("VCPU:         2,", "VCPU:         64,").replace(
      '"r7g.xlarge": {\n\t\tInstanceType: "r7g.xlarge"',
      '"x9.metal": {\n\t\tInstanceType: "x9.metal"',
    );
    const table = generateTable({
      vpcCniSource: Buffer.from(CNI_SNIPPET),
      vpcCniCommit: "b52188387f2e2f10bf289ace929d6a63b176a4fa",
      autoscaler: [
        { source: Buffer.from(AUTOSCALER_SNIPPET), commit: "55c37cd5eb550756c5ccc5a89e9068d77797e575" },
        { source: Buffer.from(newer), commit: "69ee667aa41af12cc72be3cc170362a4ee5213d7" },
      ],
    });
    assert.equal(table.instanceTypes["m5.large"].vcpus, 2, "the first list wins");
    assert.deepEqual(table.instanceTypes["x9.metal"].architectures, ["arm64"], "the second fills the gap");
    assert.deepEqual(
      table.source.upstream.map((u) => u.factsFor),
      [undefined, undefined, ["x9.metal"]],
    );
    assert.deepEqual(table.source.counts, { instanceTypes: 2, withoutArchitectures: 0, withoutVcpus: 0 });
    assert.equal((table.source.command.match(/--autoscaler-commit/g) ?? []).length, 2);
  });

  it("pairs each --autoscaler with its --autoscaler-commit, in order, and refuses an unpaired one", () => {
    const base = ["--vpc-cni", "a.go", "--vpc-cni-commit", "c1"];
    assert.deepEqual(
      parseArgs([
        ...base,
        "--autoscaler",
        "x.go",
        "--autoscaler-commit",
        "c2",
        "--autoscaler",
        "y.go",
        "--autoscaler-commit",
        "c3",
      ]).autoscaler,
      [
        { file: "x.go", commit: "c2" },
        { file: "y.go", commit: "c3" },
      ],
    );
    assert.throws(
      () => parseArgs([...base, "--autoscaler", "x.go", "--autoscaler-commit", "c2", "--autoscaler", "y.go"]),
      /each --autoscaler needs its --autoscaler-commit \(2 files, 1 commits\)/,
    );
    assert.throws(() => parseArgs(base), /--autoscaler is required/);
  });
});
