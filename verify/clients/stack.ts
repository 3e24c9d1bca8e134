/**
 * The stack's outputs: from the file the user saved (`pulumi stack output --json --show-secrets > stack.json`),
 * or from the Pulumi CLI in the current directory's selected stack. Parsing is in ../outputs.ts.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";

export const PULUMI_OUTPUT_COMMAND = ["pulumi", "stack", "output", "--json", "--show-secrets"] as const;

function parseJson(text: string, from: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${from} is not JSON: ${(e as Error).message}`);
  }
}

export async function readOutputsFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  return parseJson(text, file);
}

export function readOutputsFromPulumi(): Promise<unknown> {
  const [command, ...args] = PULUMI_OUTPUT_COMMAND;
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 16 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) {
        const why = stderr.trim().split("\n").pop() || error.message;
        reject(
          new Error(`\`${PULUMI_OUTPUT_COMMAND.join(" ")}\` failed: ${why} (or give the outputs with --outputs FILE)`),
        );
        return;
      }
      try {
        resolve(parseJson(stdout, `\`${PULUMI_OUTPUT_COMMAND.join(" ")}\``));
      } catch (e) {
        reject(e);
      }
    });
  });
}

export function loadStackOutputs(file: string | undefined): Promise<unknown> {
  return file === undefined ? readOutputsFromPulumi() : readOutputsFile(file);
}
