import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { runProgram } from "../render/harness";
import { compareWithPinned, PINNED_RUNS, readPinnedUrns } from "./urns";

const UPDATE = "if the rename is meant, add `aliases` naming the old URN and run `npm run urns:pin`";

describe("pinned URNs: moving code replaces nothing in a live stack", async () => {
  for (const pin of PINNED_RUNS) {
    it(`every resource of ${pin.file.replace(".txt", "")} keeps its pinned URN, and every URN is pinned`, async () => {
      const run = await runProgram({ config: pin.config });
      const { lost, unpinned } = compareWithPinned(run, readPinnedUrns(pin.file));
      assert.deepEqual(lost, [], `these live resources would be deleted and created again; ${UPDATE}`);
      assert.deepEqual(
        unpinned,
        [],
        "new URNs: run `npm run urns:pin` and commit the list with the change that adds them",
      );
    });
  }

  // A component whose type token or name changes: the same check, on a small program of two resources.
  class ProbeChild extends pulumi.CustomResource {
    constructor(name: string, opts: pulumi.CustomResourceOptions) {
      super("random:index/randomId:RandomId", name, { byteLength: 4 }, opts);
    }
  }
  class Probe extends pulumi.ComponentResource {
    constructor(
      type: string,
      name: string,
      opts?: pulumi.ComponentResourceOptions,
      childAliases?: pulumi.Input<pulumi.Alias>[],
    ) {
      super(type, name, {}, opts);
      // Named after its parent, as every child here is: renaming the parent renames it too.
      new ProbeChild(`${name}-child`, { parent: this, aliases: childAliases });
      this.registerOutputs({});
    }
  }
  const probe =
    (type: string, name: string, opts?: pulumi.ComponentResourceOptions, childAliases?: pulumi.Input<pulumi.Alias>[]) =>
    () => {
      new Probe(type, name, opts, childAliases);
      return Promise.resolve({});
    };
  const pinned = (await runProgram({ program: probe("eks-platform:network:Probe", "network") })).resources.map(
    (r) => r.urn,
  );

  it("fails when a component's type token changes without an alias, for it and its children", async () => {
    const run = await runProgram({ program: probe("eks-platform:net:Probe", "network") });
    const { lost } = compareWithPinned(run, pinned);
    assert.equal(lost.length, 2, `expected the component and its child lost, got ${lost.join(", ")}`);
  });

  it("fails when a resource's name changes without an alias", async () => {
    const run = await runProgram({ program: probe("eks-platform:network:Probe", "vpc-network") });
    assert.equal(compareWithPinned(run, pinned).lost.length, 2);
  });

  it("passes a rename that carries an alias to the old URN (children follow their parent's alias)", async () => {
    const retyped = await runProgram({
      program: probe("eks-platform:net:Probe", "network", { aliases: [{ type: "eks-platform:network:Probe" }] }),
    });
    assert.deepEqual(compareWithPinned(retyped, pinned).lost, []);
    // A renamed parent renames its `${name}-` children: each needs its own alias (the parent's only re-parents it).
    const parentOnly = await runProgram({
      program: probe("eks-platform:network:Probe", "vpc-network", { aliases: [{ name: "network" }] }),
    });
    assert.deepEqual(compareWithPinned(parentOnly, pinned).lost, [
      pinned.find((urn) => urn.endsWith("::network-child")),
    ]);
    const renamed = await runProgram({
      program: probe("eks-platform:network:Probe", "vpc-network", { aliases: [{ name: "network" }] }, [
        { name: "network-child" },
      ]),
    });
    assert.deepEqual(compareWithPinned(renamed, pinned).lost, []);
  });
});
