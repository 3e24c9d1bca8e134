/**
 * npm run refresh: asks AWS (read-only, with the caller's credentials) for every offline AWS fact, records
 * the answers (data/aws/answers.json), regenerates the data files from them and prints what changed.
 *
 *   npm run refresh                                   ask AWS, then write answers and data files
 *   npm run refresh -- --region us-west-2             ask EKS and SSM there (default: AWS_REGION, else us-east-1)
 *   npm run refresh -- --from-answers [file]          no AWS: regenerate the data files from recorded answers
 *
 * docs/refresh.md says who runs it and when (a scheduled workflow opens a pull request).
 */
import * as fs from "node:fs";
import { ANSWERS_FILE, DATA_FILES, type DataFileName, type DataFiles, dataPath, readDataFile } from "../data/aws";
import { parseRecordedAnswers, type RecordedAnswers } from "./answers";
import { collectAnswers } from "./collect";
import { describeChanges, generateData, renderDataFile } from "./generate";
import { sdkCalls } from "./sdk";

const USAGE = "usage: npm run refresh [-- --region <region>] | npm run refresh -- --from-answers [<answers.json>]";

export interface RefreshArgs {
  readonly mode: "ask-aws" | "from-answers";
  readonly region: string;
  readonly answersFile: string;
}

export function parseRefreshArgs(argv: readonly string[], env: NodeJS.ProcessEnv): RefreshArgs {
  let mode: RefreshArgs["mode"] = "ask-aws";
  let region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  let answersFile = dataPath(ANSWERS_FILE);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--from-answers") {
      mode = "from-answers";
      if (argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) answersFile = argv[++i];
    } else if (arg === "--region" && argv[i + 1] && !argv[i + 1].startsWith("--")) {
      region = argv[++i];
    } else {
      throw new Error(`unexpected argument ${JSON.stringify(arg)}\n${USAGE}`);
    }
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
    throw new Error(`--region ${region}: expected a region such as us-east-1`);
  return { mode, region, answersFile };
}

function readAnswers(file: string): RecordedAnswers {
  return parseRecordedAnswers(JSON.parse(fs.readFileSync(file, "utf8")), file);
}

/** Writes the data files the answers generate; returns what changed against the files before. */
export function writeData(answers: RecordedAnswers): string[] {
  const before = Object.fromEntries(
    (Object.keys(DATA_FILES) as DataFileName[]).map((name) => [name, readDataFile(name)]),
  ) as unknown as DataFiles;
  const after = generateData(answers, before.zones.notes);
  for (const name of Object.keys(DATA_FILES) as DataFileName[]) {
    fs.writeFileSync(dataPath(DATA_FILES[name]), renderDataFile(after[name]));
  }
  return describeChanges(before, after);
}

async function main(argv: readonly string[]): Promise<void> {
  const args = parseRefreshArgs(argv, process.env);
  let answers: RecordedAnswers;
  if (args.mode === "from-answers") {
    answers = readAnswers(args.answersFile);
    // Answers from elsewhere become the recorded ones, so the data files stay what the recorded answers generate.
    if (args.answersFile !== dataPath(ANSWERS_FILE))
      fs.writeFileSync(dataPath(ANSWERS_FILE), `${JSON.stringify(answers, null, 2)}\n`);
  } else {
    const on = new Date().toISOString().slice(0, 10);
    const collected = await collectAnswers({
      aws: sdkCalls(args.region),
      region: args.region,
      on,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    // Checked as a recorded file is, before anything is written: a drifted answer stops the refresh here.
    answers = parseRecordedAnswers(collected, "AWS's answers");
    fs.writeFileSync(dataPath(ANSWERS_FILE), `${JSON.stringify(answers, null, 2)}\n`);
  }
  const changes = writeData(answers);
  process.stdout.write(
    changes.length === 0
      ? "no offline fact changed\n"
      : `${changes.length} change(s) to the offline facts (data/aws/):\n${changes.map((c) => `- ${c}`).join("\n")}\n`,
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`refresh: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
