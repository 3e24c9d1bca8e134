/**
 * The offline AWS facts: EKS's version calendar, the add-on versions pinned per Kubernetes minor, the
 * amazon-eks-ami releases, zones per region and EC2's instance facts. Every file here is written by
 * `npm run refresh` (refresh/) from the answers it recorded (answers.json); test/refresh.test.ts holds each
 * file to what those answers generate, so a fact changes by a refresh (or an edit of the answers), never by hand.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { InstanceTypeRow } from "../instance-types/generate";

/** The files, by what they hold, relative to this folder. */
export const DATA_FILES = {
  calendar: "eks-versions.json",
  addons: "addon-versions.json",
  nodeImages: "node-images.json",
  zones: "availability-zones.json",
  instanceTypes: "ec2-instance-types.json",
} as const;
export type DataFileName = keyof typeof DATA_FILES;

/** The recorded answers every file is generated from. */
export const ANSWERS_FILE = "answers.json";

/** Where each file's facts come from and when they were recorded, and how it was written. */
export interface DataSource {
  readonly source: string;
  readonly generatedBy: string;
}

export interface EksVersionDates {
  readonly release: string;
  readonly endOfStandardSupport: string;
  readonly endOfExtendedSupport: string;
}

export interface CalendarFile extends DataSource {
  readonly versions: Readonly<Record<string, EksVersionDates>>;
}

/** One add-on's versions for one Kubernetes minor: the one the program installs, the newest, and EKS's default. */
export interface AddonChoice {
  /** EKS's default for the minor where it marks one (what `create-addon` without a version installs), else the newest. */
  readonly pinned: string;
  readonly latest: string;
  readonly awsDefault: string | null;
}

export interface AddonVersionsFile extends DataSource {
  readonly versions: Readonly<Record<string, Readonly<Record<string, AddonChoice>>>>;
  /** Minors of the calendar without a pin, and why (an add-on without an answer for them). */
  readonly unpinned: Readonly<Record<string, string>>;
}

export interface NodeImagesFile extends DataSource {
  /** amazon-eks-ami AL2023 releases and the Kubernetes minors each has images for. */
  readonly releases: Readonly<Record<string, readonly string[]>>;
  /** The image variants published per architecture. */
  readonly variants: Readonly<Record<string, readonly string[]>>;
}

export interface ZonesFile extends DataSource {
  /** Hand-kept remarks per region (kept across refreshes): what a zone list alone does not say. */
  readonly notes: Readonly<Record<string, string>>;
  readonly regions: Readonly<Record<string, ReadonlyArray<{ readonly name: string; readonly id: string }>>>;
}

export interface Ec2InstanceTypesFile extends DataSource {
  /** EC2's own facts per type, in the offline table's row shape; they take precedence over the table's. */
  readonly instanceTypes: Readonly<Record<string, InstanceTypeRow>>;
}

export interface DataFiles {
  readonly calendar: CalendarFile;
  readonly addons: AddonVersionsFile;
  readonly nodeImages: NodeImagesFile;
  readonly zones: ZonesFile;
  readonly instanceTypes: Ec2InstanceTypesFile;
}

/** The path of a data file (or of the recorded answers). */
export function dataPath(file: string): string {
  return path.join(__dirname, file);
}

/** One data file, parsed. Its shape is the generator's (test/refresh.test.ts compares the bytes). */
export function readDataFile<K extends DataFileName>(name: K): DataFiles[K] {
  return JSON.parse(fs.readFileSync(dataPath(DATA_FILES[name]), "utf8")) as DataFiles[K];
}
