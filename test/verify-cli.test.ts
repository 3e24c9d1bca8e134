/**
 * `npm run verify` end to end, in process: the CLI's main function with fake clients that answer from
 * the recorded fixtures (test/fixtures/verify/load.ts), so no cluster, AWS or network is needed.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CHECK_IDS, type CheckSpec, type VerifyClients } from "../verify/catalog";
import { type CliDeps, EXIT_FAILED, EXIT_OK, EXIT_USAGE, helpText, main } from "../verify/cli";
import type { JsonReport } from "../verify/report";
import { type RunEvent, runChecks } from "../verify/runner";
import { fakeClients, fixtures } from "./fixtures/verify/load";
import { programStackOutputs, VERIFIED_STACKS } from "./fixtures/verify/program-outputs";

/** Lets every promise chain that can move without a timer run (setImmediate is left real). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

interface Run {
  code: number;
  out: string[];
  err: string[];
}

async function run(
  argv: string[],
  options: {
    outputs?: Record<string, unknown> | Error;
    clients?: VerifyClients;
    env?: Record<string, string>;
    slowAfterMs?: number;
  } = {},
): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const deps: CliDeps = {
    io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    env: options.env ?? {},
    loadOutputs: async () => {
      if (options.outputs instanceof Error) throw options.outputs;
      return options.outputs ?? (await programStackOutputs(VERIFIED_STACKS.withDomain));
    },
    createClients: () => options.clients ?? fakeClients(),
    slowAfterMs: options.slowAfterMs,
  };
  const code = await main(argv, deps);
  return { code, out, err };
}

describe("verify cli: --help", () => {
  it("lists every check id, what each needs, and exits 0", async () => {
    const { code, out } = await run(["--help"]);
    assert.equal(code, EXIT_OK);
    const text = out.join("\n");
    for (const id of CHECK_IDS) assert.match(text, new RegExp(`^  ${id} +\\S`, "m"), `--help does not list ${id}`);
    assert.equal(text.match(/^ +needs: /gm)?.length, CHECK_IDS.length);
    assert.equal(text, helpText());
  });
});

describe("verify cli: a healthy stack", () => {
  it("--json prints one document with every check, all passing, and exits 0", async () => {
    const { code, out, err } = await run(["--json"]);
    assert.equal(code, EXIT_OK, err.join("\n"));
    assert.equal(out.length, 1, "stdout carries only the JSON document");
    const report = JSON.parse(out[0]) as JsonReport;
    assert.deepEqual(
      report.checks.map((c) => c.id),
      [...CHECK_IDS],
    );
    for (const c of report.checks) {
      assert.equal(c.status, "pass", `${c.id}: ${c.evidence}`);
      assert.equal(typeof c.title, "string");
      assert.equal(typeof c.evidence, "string");
    }
    assert.deepEqual(
      { ok: report.ok, passed: report.passed, failed: report.failed, skipped: report.skipped },
      { ok: true, passed: CHECK_IDS.length, failed: 0, skipped: 0 },
    );
    // Progress still shows, on stderr.
    assert.ok(err.some((l) => l.startsWith("PASS  max-pods")));
  });

  it("prints each check as it finishes, then the table", async () => {
    const { code, out } = await run([]);
    assert.equal(code, EXIT_OK);
    assert.equal(out[0], "verify: reading the stack outputs from `pulumi stack output --json --show-secrets`");
    assert.match(
      out[1],
      /^verify: cluster eks-platform-dev in ap-northeast-2, domain example\.com, network lab on, kubeconfig from the stack output, 18 check\(s\)$/,
    );
    const rows = out.slice(2, -1);
    assert.equal(rows.length, CHECK_IDS.length);
    for (const id of CHECK_IDS)
      assert.ok(
        rows.some((r) => r.startsWith(`PASS  ${id}  `)),
        `no row for ${id}`,
      );
    const table = out[out.length - 1];
    assert.match(table, /^\nCHECK +RESULT +TIME +EVIDENCE$/m);
    assert.match(table, /^zone-local +PASS .*3 netshoot pod\(s\), 20 requests each/m);
    assert.match(table, /^18 passed, 0 failed, 0 skipped$/m);
  });

  it("says what a slow check waits for before its result", async (t) => {
    const outputs = await programStackOutputs(VERIFIED_STACKS.withDomain);
    // Time is the test's: the check answers only when released, after the slow notice is due.
    t.mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
    let release = (): void => undefined;
    const answered = new Promise<void>((resolve) => (release = resolve));
    const clients = fakeClients({
      targetHealth: async (arn) => (await answered, fixtures.targetHealth()[arn].TargetHealthDescriptions),
    });
    const running = run(["--only", "target-health,max-pods"], { clients, outputs, slowAfterMs: 10 });
    await settle();
    t.mock.timers.tick(10);
    await settle();
    release();
    const { code, out } = await running;
    assert.equal(code, EXIT_OK);
    const waiting = out.findIndex((l) =>
      /^\.\.\.\.  target-health  waiting for elbv2 DescribeTargetHealth for 5 target group\(s\)/.test(l),
    );
    const done = out.findIndex((l) => l.startsWith("PASS  target-health"));
    assert.ok(waiting > 0 && done > waiting, out.join("\n"));
    assert.ok(!out.some((l) => l.includes("max-pods  waiting")), "a quick check stays quiet");
  });
});

describe("verify runner: a long wait is told again until it ends", () => {
  it("announces a slow check, reminds while it runs, then reports it", async (t) => {
    t.mock.timers.enable({ apis: ["setTimeout", "setInterval"] });
    const events: RunEvent[] = [];
    let release = (): void => undefined;
    const answered = new Promise<void>((resolve) => (release = resolve));
    const spec: CheckSpec = {
      id: "slow",
      title: "a slow check",
      needs: "nothing",
      waitsFor: "the slow thing",
      run: async () => (await answered, { id: "slow", title: "a slow check", status: "pass", evidence: "done" }),
    };
    const running = runChecks([spec], {
      outputs: {},
      clients: fakeClients(),
      requests: 1,
      execTimeoutMs: 1000,
      slowAfterMs: 10,
      remindEveryMs: 30,
      checkTimeoutMs: 5000,
      concurrency: 1,
      onEvent: (e) => events.push(e),
    });
    const waits = () => events.filter((e) => e.kind === "waiting");
    await settle();
    assert.equal(waits().length, 0, "told before it was slow");
    t.mock.timers.tick(10);
    await settle();
    assert.equal(waits().length, 1, "the notice when it turns slow");
    t.mock.timers.tick(30);
    await settle();
    t.mock.timers.tick(30);
    await settle();
    assert.equal(waits().length, 3, "a reminder every 30 ms of waiting");
    release();
    const [result] = await running;
    assert.equal(result.status, "pass");
    assert.ok(waits().every((e) => e.kind === "waiting" && e.what === "the slow thing"));
    assert.equal(events[events.length - 1].kind, "done");
  });
});

describe("verify cli: failures exit 1 with the evidence", () => {
  it("an unhealthy target fails target-health and the run", async () => {
    const clients = fakeClients({
      targetHealth: async (arn) => {
        const targets = fixtures.targetHealth()[arn].TargetHealthDescriptions;
        if (arn.includes("k8s-echo")) targets[2].TargetHealth = { State: "unhealthy", Reason: "Target.Timeout" };
        return targets;
      },
    });
    const { code, out } = await run(["--json"], { clients });
    assert.equal(code, EXIT_FAILED);
    const report = JSON.parse(out[0]) as JsonReport;
    assert.equal(report.ok, false);
    const th = report.checks.find((c) => c.id === "target-health");
    assert.equal(th?.status, "fail");
    assert.match(th?.evidence ?? "", /1 unhealthy \[10\.0\.140\.12:8080 ap-northeast-2c \(Target\.Timeout\)\]/);
    assert.equal(report.checks.filter((c) => c.status === "fail").length, 1);
  });

  it("an unreachable API server is said once, the checks that need it are not run (the run fails), and the network checks still run", async () => {
    const reason =
      "request to https://ABC.gr7.ap-northeast-2.eks.amazonaws.com/version failed, reason: connect ECONNREFUSED";
    const unreachable = fakeClients({ cluster: { serverVersion: () => Promise.reject(new Error(reason)) } });
    const { code, out } = await run([], { clients: unreachable });
    assert.equal(code, EXIT_FAILED);
    const text = out.join("\n");
    assert.equal(text.match(/ECONNREFUSED/g)?.length, 1, text);
    const said = out.find((l) => l.includes("ECONNREFUSED")) ?? "";
    assert.match(
      said,
      /^verify: the Kubernetes API server cannot be reached \(request to .*ECONNREFUSED\): not running the 14 check\(s\) that need it \(max-pods, .*kube-proxy-mode\)$/,
    );
    assert.doesNotMatch(text, /^FAIL/m, "no check fails on its own for the same reason");
    assert.match(text, /^not run \(no answer from the Kubernetes API server, said above\): max-pods, /m);
    assert.match(text, /^4 passed, 0 failed, 0 skipped, 14 not run$/m);
    // In the JSON document each check keeps its entry: the ones not run fail, saying why.
    const json = await run(["--json"], { clients: unreachable });
    const report = JSON.parse(json.out[0]) as JsonReport;
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    for (const id of ["max-pods", "lb-controller", "zone-local", "kube-proxy-mode"]) assert.equal(status[id], "fail");
    for (const id of ["tls", "http-redirect", "games", "source-ip"]) assert.equal(status[id], "pass");
    assert.match(
      report.checks[0].evidence,
      /^not run: the Kubernetes API server cannot be reached \(.*ECONNREFUSED\)$/,
    );
    assert.equal(report.ok, false);
    // No kubeconfig at all is the same case; a server that answers with a status refuses rather than is absent.
    const noKubeconfig = await run(["--only", "max-pods,games"], {
      clients: fakeClients({ cluster: new Error("no kubeconfig: set KUBECONFIG") }),
    });
    assert.match(
      noKubeconfig.out.join("\n"),
      /cannot be reached \(no kubeconfig: set KUBECONFIG\): not running the 1 check\(s\) that need it \(max-pods\)/,
    );
    const refused = await run(["--only", "max-pods"], {
      clients: fakeClients({
        cluster: { serverVersion: () => Promise.reject({ code: 401, body: { message: "Unauthorized" } }) },
      }),
    });
    assert.equal(refused.code, EXIT_FAILED);
    assert.match(refused.out.join("\n"), /the Kubernetes API server answers HTTP 401: Unauthorized: not running/);
  });

  it("a check that overruns --timeout fails with what it was waiting for", async () => {
    const clients = fakeClients({ targetHealth: () => new Promise(() => undefined) });
    const { code, out } = await run(["--only", "target-health", "--timeout", "0.05", "--json"], { clients });
    assert.equal(code, EXIT_FAILED);
    const report = JSON.parse(out[0]) as JsonReport;
    assert.match(
      report.checks[0].evidence,
      /^timed out after 0 s waiting for elbv2 DescribeTargetHealth for 5 target group\(s\)$/,
    );
  });

  it("a missing stack output fails the checks that need it, naming the key", async () => {
    const outputs = { ...(await programStackOutputs(VERIFIED_STACKS.withDomain)) };
    delete outputs.kubeProxyMode;
    const { code, out } = await run(["--only", "kube-proxy-mode,max-pods", "--json"], { outputs });
    assert.equal(code, EXIT_FAILED);
    const report = JSON.parse(out[0]) as JsonReport;
    assert.deepEqual(
      report.checks.map((c) => [c.id, c.status]),
      [
        ["max-pods", "pass"],
        ["kube-proxy-mode", "fail"],
      ],
    );
    assert.match(report.checks[1].evidence, /stack output kubeProxyMode is missing/);
  });
});

describe("verify cli: green on both stacks the program makes", () => {
  for (const [name, config] of Object.entries(VERIFIED_STACKS)) {
    it(`${name}: every check that applies passes on the program's own outputs`, async () => {
      const outputs = await programStackOutputs(config);
      const { code, out, err } = await run(["--json"], { outputs });
      assert.equal(code, EXIT_OK, err.join("\n"));
      const report = JSON.parse(out[0]) as JsonReport;
      assert.equal(report.failed, 0, JSON.stringify(report.checks.filter((c) => c.status === "fail")));
      // Without a domain the TLS and DNS checks do not apply; everything else runs.
      assert.equal(report.skipped, "domain" in config ? 0 : 4);
      assert.equal(report.passed + report.skipped, report.checks.length);
    });
  }
});

describe("verify cli: http-redirect asks only what redirects", () => {
  it("asks every ALB URL of the stack, and not the NLB one, which listens on HTTPS alone", async () => {
    const asked: string[] = [];
    const clients = fakeClients({
      network: {
        redirect: async (url) => (
          asked.push(url),
          {
            url: url.replace("https:", "http:"),
            status: 301,
            location: url.replace(/^https:\/\/([^/]+)/, "https://$1:443"),
          }
        ),
      },
    });
    const { code } = await run(["--only", "http-redirect"], { clients });
    assert.equal(code, EXIT_OK);
    const outputs = await programStackOutputs(VERIFIED_STACKS.withDomain);
    const urls = outputs.urls as Record<string, string>;
    assert.deepEqual(asked.sort(), [urls["game-2048"], urls.mario, urls.tetris].sort());
    assert.ok(!asked.includes(urls["tetris-nlb"]), "the NLB URL was asked for a redirect");
  });

  it("fails when an ALB answers plain HTTP without redirecting", async () => {
    const clients = fakeClients({
      network: { redirect: async (url) => ({ url: url.replace("https:", "http:"), status: 200 }) },
    });
    const { code, out } = await run(["--only", "http-redirect", "--json"], { clients });
    assert.equal(code, EXIT_FAILED);
    assert.match((JSON.parse(out[0]) as JsonReport).checks[0].evidence, /answered 200/);
  });
});

describe("verify cli: what applies to the stack", () => {
  it("without a domain or the lab, their checks are skipped and the run passes", async () => {
    const outputs = await programStackOutputs({ ...VERIFIED_STACKS.withoutDomain, networkLab: "false" });
    assert.equal(outputs.domain, undefined);
    assert.equal(outputs.networkLab, false);
    const { code, out } = await run(["--json"], { outputs });
    assert.equal(code, EXIT_OK);
    const report = JSON.parse(out[0]) as JsonReport;
    const skipped = report.checks.filter((c) => c.status === "skip").map((c) => c.id);
    assert.deepEqual(skipped, ["external-dns", "tls", "http-redirect", "dns", "zone-local", "headless-dns"]);
    assert.match(
      report.checks.find((c) => c.id === "kube-proxy-mode")?.evidence ?? "",
      /running mode not asked: needs the network lab/,
    );
  });

  it("--only runs just the checks named", async () => {
    const { code, out } = await run(["--only", "games,source-ip", "--json"]);
    assert.equal(code, EXIT_OK);
    assert.deepEqual(
      (JSON.parse(out[0]) as JsonReport).checks.map((c) => c.id),
      ["games", "source-ip"],
    );
  });

  it("KUBECONFIG wins over the stack output", async () => {
    const { out } = await run(["--only", "games"], { env: { KUBECONFIG: "/home/me/.kube/config" } });
    assert.match(out[1], /kubeconfig from \$KUBECONFIG/);
  });
});

describe("verify cli: usage errors exit 2", () => {
  it("an unknown option, an unknown check id, or a bad --requests", async () => {
    for (const argv of [
      ["--bogus"],
      ["--only", "max-pods,nope"],
      ["--requests", "0"],
      ["--timeout", "soon"],
      ["extra"],
    ]) {
      const { code, err, out } = await run(argv);
      assert.equal(code, EXIT_USAGE, argv.join(" "));
      assert.match(err.join("\n"), /^verify: .*\nRun with --help/);
      assert.deepEqual(out, []);
    }
  });

  it("outputs that are not this project's stack: none at all ({}), or another project's", async () => {
    const empty = await run([], { outputs: {} });
    assert.equal(empty.code, EXIT_USAGE);
    assert.deepEqual(empty.err, [
      "verify: the stack has no outputs ({}): not this project's stack, or one not deployed yet; select it (pulumi stack select <stack>), pulumi up, or give its outputs with --outputs FILE",
    ]);
    assert.equal(empty.out.length, 1, "nothing but where the outputs come from");
    const other = await run([], { outputs: { clusterName: "someone-else", kubeconfig: "{}" } });
    assert.equal(other.code, EXIT_USAGE);
    assert.match(
      other.err[0],
      /^verify: the stack outputs lack region and nodeGroups, which every eks-platform stack exports/,
    );
  });

  it("outputs that cannot be read, or are of the wrong form", async () => {
    const unreadable = await run([], { outputs: new Error("cannot read stack.json: ENOENT") });
    assert.equal(unreadable.code, EXIT_USAGE);
    assert.match(unreadable.err.join("\n"), /ENOENT/);
    const wrong = await run([], {
      outputs: { ...(await programStackOutputs(VERIFIED_STACKS.withDomain)), kubeconfig: "[secret]" },
    });
    assert.equal(wrong.code, EXIT_USAGE);
    assert.match(wrong.err.join("\n"), /kubeconfig: is a secret: run pulumi stack output --json --show-secrets/);
  });
});
